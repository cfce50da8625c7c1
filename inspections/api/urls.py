from inspections.api import cycles, views
from pingxiang_cf.api.routers import ApiRouter

router = ApiRouter()
# Supervision cycles and notices
router.register("cycles", cycles.CycleViewSet, basename="cycle")
router.register("notices", cycles.NoticeViewSet, basename="notice")
# Inspections, findings, supervision letters
router.register("inspections", views.InspectionViewSet, basename="inspection")
router.register("findings", views.FindingViewSet, basename="finding")
router.register(
    "supervision-letters", views.SupervisionLetterViewSet, basename="supervision-letter"
)

urlpatterns = router.urls
