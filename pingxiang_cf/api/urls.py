from django.urls import path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from pingxiang_cf.api.importing import ImportTemplateView, ImportView
from pingxiang_cf.api.jobs import JobViewSet
from pingxiang_cf.api.routers import ApiRouter
from pingxiang_cf.api.views import TokenObtainView, TokenViewSet

router = ApiRouter()
router.register("tokens", TokenViewSet, basename="api-token")
router.register("jobs", JobViewSet, basename="api-job")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path(
        "redoc/",
        SpectacularRedocView.as_view(url_name="api-schema", template_name="api/redoc.html"),
        name="api-redoc",
    ),
    path("auth/token/", TokenObtainView.as_view(), name="api-token-obtain"),
    path("imports/<str:kind>/", ImportView.as_view(), name="api-import"),
    path("imports/<str:kind>/template/", ImportTemplateView.as_view(), name="api-import-template"),
    *router.urls,
]
