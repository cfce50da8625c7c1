from django.urls import path

from dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("dashboard/", views.index, name="index"),
    path("dashboard/units/", views.units, name="units"),
    path("dashboard/export.xlsx", views.export, name="export"),
]
