from django.urls import path

from dashboards.api.views import SummaryView

urlpatterns = [
    path("summary/", SummaryView.as_view(), name="api-summary"),
]
