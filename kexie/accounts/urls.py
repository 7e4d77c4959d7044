from django.urls import path

from kexie.accounts import password_reset, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("password/reset/", password_reset.ResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", password_reset.ResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        password_reset.ResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("password/reset/done/", password_reset.ResetCompleteView.as_view(), name="password_reset_complete"),
    path("2fa/verify/", views.otp_verify_view, name="otp_verify"),
    path("2fa/setup/", views.otp_setup_view, name="otp_setup"),
    path("password/", views.password_change_view, name="password_change"),
    path("profile/", views.profile_view, name="profile"),
    path("profile/tokens/<int:pk>/revoke/", views.token_revoke_view, name="token_revoke"),
    path("organizations/", views.organization_list_view, name="organization_list"),
    path("organizations/<int:pk>/", views.organization_detail_view, name="organization_detail"),
    path("users/", views.user_list_view, name="user_list"),
    path("users/new/", views.user_create_view, name="user_create"),
    path("users/<int:pk>/", views.user_detail_view, name="user_detail"),
]

urlpatterns += [
    path("audit/", views.audit_list_view, name="audit_list"),
    path("audit/export.csv", views.audit_export_view, name="audit_export"),
    path("audit/head.json", views.audit_anchor_view, name="audit_anchor"),
]
