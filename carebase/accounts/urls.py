from django.contrib.auth import views as auth_views
from django.urls import path

from carebase.accounts import people, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("login/link/", views.login_link_request, name="login_link_request"),
    path("login/link/<uidb64>/<token>/", views.login_link, name="login_link"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("profile/", views.profile, name="profile"),
    path("profile/tokens/", views.create_token, name="create_token"),
    path("profile/tokens/<int:token_id>/revoke/", views.revoke_token, name="revoke_token"),
    path("teams/", views.teams, name="teams"),
    path("people/", people.people, name="people"),
    path("people/new/", people.person_create, name="person_create"),
    path("people/<int:user_id>/", people.person_edit, name="person_edit"),
    path("people/<int:user_id>/active/", people.person_set_active, name="person_set_active"),
    path("people/<int:user_id>/invite/", people.person_invite, name="person_invite"),
    path("language/", views.set_language, name="set_language"),
]
