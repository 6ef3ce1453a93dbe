from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy

from carebase.accounts.models import Team, User
from carebase.core.roles import STAFF_ROLES, Role
from carebase.crm.models import Language
from carebase.kb.actions import ArticleData
from carebase.kb.models import Article, ArticleKind, Category, Visibility

STAFF_ROLE_CHOICES = [(role.value, role.label) for role in Role if role in STAFF_ROLES]


class CategoryChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        depth, parent = 0, obj.parent
        while parent is not None and depth < 5:
            depth, parent = depth + 1, parent.parent
        return "— " * depth + f"{obj.name_pl} / {obj.name_en}"


class ArticleForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    summary = forms.CharField(
        label=gettext_lazy("Summary"),
        max_length=300,
        required=False,
        help_text=gettext_lazy(
            "One or two sentences: shown under search results and to search engines."
        ),
    )
    body = forms.CharField(
        label=gettext_lazy("Text"),
        required=False,
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 18, "class": "markdown"}),
        help_text=gettext_lazy(
            "Markdown: ## headings, **bold**, lists, [links](https://…), tables. "
            "A FAQ entry's title is the question and its text the answer."
        ),
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=ArticleKind.choices)
    language = forms.ChoiceField(label=gettext_lazy("Language"), choices=Language.choices)
    slug = forms.CharField(
        label=gettext_lazy("Address"),
        max_length=120,
        required=False,
        help_text=gettext_lazy("Made from the title when left empty; a published address stays."),
    )
    category = CategoryChoice(
        label=gettext_lazy("Category"), queryset=Category.objects.none(), required=False
    )
    tags = forms.CharField(
        label=gettext_lazy("Tags"),
        max_length=1000,
        required=False,
        help_text=gettext_lazy("Separated by commas."),
    )
    visibility = forms.ChoiceField(
        label=gettext_lazy("Who may read it"), choices=Visibility.choices
    )
    reader_roles = forms.MultipleChoiceField(
        label=gettext_lazy("Roles that may read it"),
        choices=STAFF_ROLE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("When it is restricted to roles."),
    )
    owner = forms.ModelChoiceField(
        label=gettext_lazy("Owner"),
        queryset=User.objects.none(),
        required=False,
        help_text=gettext_lazy("Reminded to review it, and receives readers' comments."),
    )
    translation_of = forms.ModelChoiceField(
        label=gettext_lazy("Translation of"),
        queryset=Article.objects.none(),
        required=False,
        help_text=gettext_lazy("The same article in the other language."),
    )
    must_read_roles = forms.MultipleChoiceField(
        label=gettext_lazy("Must be acknowledged by roles"),
        choices=STAFF_ROLE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Regulations: everyone in these roles confirms having read it."),
    )
    must_read_teams = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Must be acknowledged by teams"),
        queryset=Team.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    review_every_days = forms.IntegerField(
        label=gettext_lazy("Review every (days)"),
        min_value=1,
        max_value=3650,
        required=False,
        help_text=gettext_lazy("Empty: the desk's default."),
    )
    note = forms.CharField(
        label=gettext_lazy("Change note"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("What changed, for the version history."),
    )
    significant = forms.BooleanField(
        label=gettext_lazy("Significant change: everyone must acknowledge it again"),
        required=False,
    )
    publish_at = forms.DateTimeField(
        label=gettext_lazy("Publish at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=gettext_lazy("With “Schedule”: when the change goes live."),
    )

    def __init__(self, *args: Any, article: Article | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        categories = Category.objects.select_related("parent__parent")
        self.fields["category"].queryset = categories.order_by(  # type: ignore[attr-defined]
            "parent__position", "position", "slug"
        )
        self.fields["owner"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(
                is_active=True, groups__name__in=[role.value for role in STAFF_ROLES]
            )
            .distinct()
            .order_by("first_name", "last_name")
        )
        translations = Article.objects.order_by("language", "title")
        if article is not None:
            translations = translations.exclude(group=article.group)
        self.fields["translation_of"].queryset = translations  # type: ignore[attr-defined]
        self.fields["must_read_teams"].queryset = Team.objects.order_by("name")  # type: ignore[attr-defined]

    def clean_publish_at(self) -> Any:
        value = self.cleaned_data.get("publish_at")
        if value is not None and value <= timezone.now():
            raise forms.ValidationError(gettext_lazy("Choose a moment in the future."))
        return value

    def data_for(self) -> ArticleData:
        values = self.cleaned_data
        return ArticleData(
            title=values["title"],
            body=values["body"],
            summary=values["summary"],
            language=values["language"],
            kind=values["kind"],
            visibility=values["visibility"],
            slug=values["slug"],
            category=values["category"],
            tags=[tag for tag in values["tags"].split(",") if tag.strip()],
            reader_roles=values["reader_roles"],
            owner=values["owner"],
            must_read_roles=values["must_read_roles"],
            must_read_teams=list(values["must_read_teams"]),
            review_every_days=values["review_every_days"],
            translation_of=values["translation_of"],
        )

    @classmethod
    def for_article(cls, article: Article) -> ArticleForm:
        text = article.pending or {}
        translation = Article.objects.filter(group=article.group).exclude(pk=article.pk).first()
        return cls(
            article=article,
            initial={
                "title": text.get("title", article.title),
                "summary": text.get("summary", article.summary),
                "body": text.get("body", article.body),
                "kind": article.kind,
                "language": article.language,
                "slug": article.slug,
                "category": article.category_id,
                "tags": ", ".join(tag.name for tag in article.tags.all()),
                "visibility": article.visibility,
                "reader_roles": [group.name for group in article.readers.all()],
                "owner": article.owner_id,
                "translation_of": translation.pk if translation else None,
                "must_read_roles": [group.name for group in article.must_read_roles.all()],
                "must_read_teams": [team.pk for team in article.must_read_teams.all()],
                "review_every_days": article.review_every_days,
                "publish_at": article.publish_at,
            },
        )


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = [
            "name_pl", "name_en", "slug", "parent", "position", "description_pl", "description_en",
        ]  # fmt: skip


class FlagForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("What is wrong"), max_length=5000)
