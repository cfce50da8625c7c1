from accountability.api.views import UnitViewSet
from pingxiang_cf.api.routers import ApiRouter

router = ApiRouter()
router.register("units", UnitViewSet, basename="unit")

urlpatterns = router.urls
