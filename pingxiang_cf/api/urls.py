from django.urls import path

from pingxiang_cf.api.routers import ApiRouter
from pingxiang_cf.api.views import TokenObtainView, TokenViewSet

router = ApiRouter()
router.register("tokens", TokenViewSet, basename="api-token")

urlpatterns = [
    path("auth/token/", TokenObtainView.as_view(), name="api-token-obtain"),
    *router.urls,
]
