from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from dashboards.views import home
from pingxiang_cf import views
from pingxiang_cf.api import pages as api_pages
from security import views as security_views

accounts = [
    # Sign-in with lockout and the second factor (security/views.py).
    path("login/", security_views.login_view, name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]

notifications = (
    [
        path("", views.notification_list, name="list"),
        path("read/", views.notification_read, name="read"),
        path("count/", views.notification_count, name="count"),
    ],
    "notifications",
)

jobs = (
    [
        path("<uuid:code>/", views.job_detail, name="detail"),
        path("<uuid:code>/progress/", views.job_progress, name="progress"),
        path("<uuid:code>/download/", views.job_download, name="download"),
    ],
    "jobs",
)

api_tokens = (
    [
        path("", api_pages.token_list, name="list"),
        path("<int:pk>/revoke/", api_pages.token_revoke, name="revoke"),
    ],
    "tokens",
)

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include(accounts)),
    path("notifications/", include(notifications)),
    path("jobs/", include(jobs)),
    path("", include("projects.urls")),
    path("", include("inspections.urls")),
    path("responsibility/", include("accountability.urls")),
    path("", include("dashboards.urls")),
    path("", include("assessments.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("security/", include("security.urls")),
    # The admin signs in through the same page (lockout, second factor).
    path("admin/login/", security_views.admin_login, name="admin-login"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("pingxiang_cf.api_urls")),
    path("account/tokens/", include(api_tokens)),
    path("exports/<slug:name>/", api_pages.export_download, name="export"),
    path("imports/<slug:name>/", api_pages.import_upload, name="import"),
    path("imports/<slug:name>/template/", api_pages.import_template, name="import-template"),
    path("imports/<slug:name>/confirm/", api_pages.import_confirm, name="import-confirm"),
]
