from pingxiang_cf.api.routers import ApiRouter
from projects.api import views

router = ApiRouter()
router.register("plan-tasks", views.PlanTaskViewSet, basename="plan-task")
router.register("projects", views.ProjectViewSet, basename="project")
router.register("targets", views.TargetViewSet, basename="target")
router.register("milestones", views.MilestoneViewSet, basename="milestone")
router.register("assignments", views.AssignmentViewSet, basename="assignment")
router.register("ledger-entries", views.LedgerEntryViewSet, basename="ledger-entry")

urlpatterns = router.urls
