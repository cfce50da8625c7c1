from django.urls import path

from security import views

app_name = "security"

urlpatterns = [
    path("", views.security_home, name="home"),
    path("login/totp/", views.login_totp, name="login-totp"),
    path("account/totp/", views.account_totp, name="account-totp"),
    path("lockouts/", views.lockout_list, name="lockouts"),
    path("lockouts/<int:pk>/release/", views.lockout_release, name="lockout-release"),
    path("policy/", views.policy_edit, name="policy"),
    path("audit/", views.audit_list, name="audit"),
    path("audit/export.csv", views.audit_export, name="audit-export"),
]
