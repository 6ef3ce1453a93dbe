"""Forms of the feature requests board (the rules themselves are in features.py)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from carebase.workflow.features import MAX_DECISION, MAX_DESCRIPTION, MAX_TITLE, Order
from carebase.workflow.models import Feature, FeatureStatus


class FeatureForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=MAX_TITLE)
    description = forms.CharField(
        label=gettext_lazy("Description"),
        required=False,
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("What the customers ask for, in their words."),
    )
    # Made from a conversation: it is linked at once.
    ticket = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    @classmethod
    def for_feature(cls, feature: Feature) -> FeatureForm:
        return cls(initial={"title": feature.title, "description": feature.description})


class DecisionForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=FeatureStatus.choices)
    decision = forms.CharField(
        label=gettext_lazy("Decision"),
        required=False,
        max_length=MAX_DECISION,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "What the requesters will read when the feature is done, or why it is declined."
        ),
    )

    @classmethod
    def for_feature(cls, feature: Feature) -> DecisionForm:
        return cls(initial={"status": feature.status, "decision": feature.decision})


class BoardFilters(forms.Form):
    q = forms.CharField(required=False, max_length=200)
    status = forms.ChoiceField(required=False, choices=[("", ""), *FeatureStatus.choices])
    order = forms.ChoiceField(required=False, choices=Order.choices)
    # Picking a feature for this conversation: the rows offer "Link".
    ticket = forms.IntegerField(required=False, min_value=1)
    page = forms.IntegerField(required=False, min_value=1)
