from assessments.api import views
from pingxiang_cf.api.routers import ApiRouter

router = ApiRouter()
router.register("assessment-schemes", views.SchemeViewSet, basename="assessment-scheme")
router.register("assessment-indicators", views.IndicatorViewSet, basename="assessment-indicator")
router.register("assessments", views.AssessmentViewSet, basename="assessment")
router.register("assessment-scores", views.ScoreViewSet, basename="assessment-score")
router.register("assessment-outcomes", views.OutcomeViewSet, basename="assessment-outcome")

urlpatterns = router.urls
