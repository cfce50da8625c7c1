from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from dashboards.views import home
from pingxiang_cf import views

accounts = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
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

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include(accounts)),
    path("notifications/", include(notifications)),
    path("jobs/", include(jobs)),
    path("", include("projects.urls")),
    path("", include("dashboards.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("pingxiang_cf.api_urls")),
]
