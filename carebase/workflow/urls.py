from django.urls import path

from carebase.workflow import views

app_name = "workflow"

urlpatterns = [
    path("calendars/", views.calendars, name="calendars"),
    path("calendars/new/", views.calendar_edit, name="calendar_create"),
    path("calendars/<int:calendar_id>/", views.calendar_edit, name="calendar_edit"),
    path("calendars/<int:calendar_id>/delete/", views.calendar_delete, name="calendar_delete"),
]

# The queue's rules and SLA policies (views_rules.py).
from carebase.workflow import views_rules  # noqa: E402

urlpatterns += [
    path("rules/", views_rules.rules, name="rules"),
    path("rules/new/", views_rules.rule_edit, name="rule_create"),
    path("rules/<int:rule_id>/", views_rules.rule_edit, name="rule_edit"),
    path("rules/<int:rule_id>/delete/", views_rules.rule_delete, name="rule_delete"),
    path("rules/<int:rule_id>/move/", views_rules.rule_move, name="rule_move"),
    path("sla-policies/", views_rules.policies, name="policies"),
    path("sla-policies/new/", views_rules.policy_edit, name="policy_create"),
    path("sla-policies/<int:policy_id>/", views_rules.policy_edit, name="policy_edit"),
    path("sla-policies/<int:policy_id>/delete/", views_rules.policy_delete, name="policy_delete"),
    path("sla-policies/<int:policy_id>/move/", views_rules.policy_move, name="policy_move"),
]

# Macros (views_macros.py).
from carebase.workflow import views_macros  # noqa: E402

urlpatterns += [
    path("macros/", views_macros.macros, name="macros"),
    path("macros/new/", views_macros.macro_edit, name="macro_create"),
    path("macros/<int:macro_id>/", views_macros.macro_edit, name="macro_edit"),
    path("macros/<int:macro_id>/delete/", views_macros.macro_delete, name="macro_delete"),
    path("macros/pick/<int:ticket_id>/", views_macros.macro_pick, name="macro_pick"),
    path(
        "macros/<int:macro_id>/apply/<int:ticket_id>/",
        views_macros.macro_apply,
        name="macro_apply",
    ),
]

# The feature requests board (views_features.py).
from carebase.workflow import views_features  # noqa: E402

urlpatterns += [
    path("features/", views_features.board, name="features"),
    path("features/new/", views_features.feature_create, name="feature_create"),
    path("features/pick/", views_features.feature_pick, name="feature_pick"),
    path("features/<int:feature_id>/", views_features.feature_detail, name="feature_detail"),
    path("features/<int:feature_id>/edit/", views_features.feature_edit, name="feature_edit"),
    path("features/<int:feature_id>/decide/", views_features.feature_decide, name="feature_decide"),
    path("features/<int:feature_id>/notify/", views_features.feature_notify, name="feature_notify"),
    path("features/<int:feature_id>/link/", views_features.feature_link, name="feature_link"),
    path(
        "features/<int:feature_id>/unlink/<int:ticket_id>/",
        views_features.feature_unlink,
        name="feature_unlink",
    ),
]

# SLA notices (views_notices.py).
from carebase.workflow import urls_notices  # noqa: E402

urlpatterns += urls_notices.urlpatterns
