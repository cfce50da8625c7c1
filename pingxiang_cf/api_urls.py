from django.urls import include, path

from dashboards.api.views import SummaryView

urlpatterns = [
    path("summary/", SummaryView.as_view(), name="api-summary"),
    path("", include("pingxiang_cf.api.urls")),
    path("", include("accountability.api.urls")),
    path("", include("projects.api.urls")),
]
