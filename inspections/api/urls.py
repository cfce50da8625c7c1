from pingxiang_cf.api.routers import ApiRouter

router = ApiRouter()

# --- Supervision cycles and notices (cycles block) ------------------------------------------------
from inspections.api import cycles  # noqa: E402

router.register("cycles", cycles.CycleViewSet, basename="cycle")
router.register("notices", cycles.NoticeViewSet, basename="notice")

urlpatterns = router.urls
