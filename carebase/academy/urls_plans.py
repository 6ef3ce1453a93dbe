"""Onboarding plans and assignments (views_plans.py), under /academy/."""

from django.urls import path

from carebase.academy import views_plans as views

urlpatterns = [
    path("plans/", views.plans, name="plans"),
    path("plans/new/", views.plan_new, name="plan-new"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan-edit"),
    path("plans/<int:pk>/copy/", views.plan_copy, name="plan-copy"),
    path("plans/<int:pk>/items/new/", views.plan_item_new, name="plan-item-new"),
    path("plan-items/<int:pk>/edit/", views.plan_item_edit, name="plan-item-edit"),
    path("plan-items/<int:pk>/delete/", views.plan_item_delete, name="plan-item-delete"),
    path("plan-items/<int:pk>/move/", views.plan_item_move, name="plan-item-move"),
    path("assign/", views.assign, name="assign"),
    path("trainees/", views.trainees, name="trainees"),
    path("my-plan/", views.my_plan, name="my-plan"),
    path("assignments/<int:pk>/", views.assignment_detail, name="assignment"),
    path(
        "assignments/<int:pk>/items/new/",
        views.assignment_item_new,
        name="assignment-item-new",
    ),
    path(
        "assignment-items/<int:pk>/open/",
        views.assignment_item_open,
        name="assignment-item-open",
    ),
    path(
        "assignment-items/<int:pk>/done/",
        views.assignment_item_done,
        name="assignment-item-done",
    ),
    path(
        "assignment-items/<int:pk>/undo/",
        views.assignment_item_undo,
        name="assignment-item-undo",
    ),
    path(
        "assignment-items/<int:pk>/edit/",
        views.assignment_item_edit,
        name="assignment-item-edit",
    ),
    path(
        "assignment-items/<int:pk>/remove/",
        views.assignment_item_remove,
        name="assignment-item-remove",
    ),
    path(
        "assignment-items/<int:pk>/move/",
        views.assignment_item_move,
        name="assignment-item-move",
    ),
]
