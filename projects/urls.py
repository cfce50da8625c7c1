from django.urls import path

from projects import views

app_name = "projects"

urlpatterns = [
    path("projects/", views.project_list, name="list"),
    path("projects/<uuid:code>/", views.project_detail, name="detail"),
    path("units/<int:pk>/wall/", views.unit_wall, name="unit-wall"),
]
