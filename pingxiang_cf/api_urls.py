from django.urls import path

from projects.api.views import SummaryView

urlpatterns = [
    path("summary/", SummaryView.as_view(), name="api-summary"),
]
