from django.urls import path

from carebase.academy import urls_bank, urls_mentoring, urls_plans, views

app_name = "academy"

urlpatterns = [
    path("", views.home, name="home"),
    path("quizzes/", views.quiz_list, name="quizzes"),
    path("quizzes/<int:pk>/", views.quiz_detail, name="quiz"),
    path("quizzes/<int:pk>/start/", views.start_quiz, name="start"),
    path("attempts/<int:pk>/", views.attempt_page, name="attempt"),
    path("attempts/<int:pk>/submit/", views.submit_attempt, name="submit"),
    path("attempts/<int:pk>/share/", views.share_attempt, name="share"),
    path("attempts/<int:pk>/grade/", views.grade_attempt, name="grade"),
    path("grading/", views.grading_queue, name="grading"),
    path("certificates/", views.certificates, name="certificates"),
    path("certificates/<int:pk>/revoke/", views.revoke_certificate, name="revoke"),
    # Public: a certificate's verification page, and a shared review (signed).
    path("verify/<str:code>/", views.verify_certificate, name="verify"),
    path("shared/<str:token>/", views.shared_review, name="shared"),
    *urls_plans.urlpatterns,
    *urls_mentoring.urlpatterns,
    *urls_bank.urlpatterns,
]
