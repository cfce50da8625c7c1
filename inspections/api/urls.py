from inspections.api import views
from pingxiang_cf.api.routers import ApiRouter

router = ApiRouter()
router.register("inspections", views.InspectionViewSet, basename="inspection")
router.register("findings", views.FindingViewSet, basename="finding")
router.register(
    "supervision-letters", views.SupervisionLetterViewSet, basename="supervision-letter"
)

urlpatterns = router.urls
