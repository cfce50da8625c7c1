from accountability.api import views
from pingxiang_cf.api.routers import ApiRouter

router = ApiRouter()
router.register("units", views.UnitViewSet, basename="unit")
router.register("responsibility-letters", views.LetterViewSet, basename="responsibility-letter")
router.register("risk-posts", views.RiskPostViewSet, basename="risk-post")
router.register("commendations", views.CommendationViewSet, basename="commendation")
router.register("accountability-cases", views.CaseViewSet, basename="accountability-case")

urlpatterns = router.urls
