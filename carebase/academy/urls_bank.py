"""The question bank, quizzes' settings with the certification pool, and
exam quality (managers only); included by academy/urls.py."""

from django.urls import URLPattern, path

from carebase.academy import views_bank

urlpatterns: list[URLPattern] = [
    path("questions/", views_bank.questions, name="questions"),
    path("questions/new/", views_bank.question_new, name="question-new"),
    path("questions/<int:pk>/", views_bank.question_detail, name="question"),
    path("questions/<int:pk>/edit/", views_bank.question_edit, name="question-edit"),
    path("questions/<int:pk>/review/", views_bank.question_review, name="question-review"),
    path("manage/quizzes/", views_bank.quizzes_manage, name="quizzes-manage"),
    path("manage/quizzes/new/", views_bank.quiz_new, name="quiz-manage-new"),
    path("manage/quizzes/<int:pk>/", views_bank.quiz_edit, name="quiz-manage-edit"),
    path("manage/quizzes/<int:pk>/analysis/", views_bank.analysis, name="analysis"),
    path(
        "manage/quizzes/<int:pk>/analysis/flags/",
        views_bank.analysis_flags,
        name="analysis-flags",
    ),
]
