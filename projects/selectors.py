"""Reads for the projects app. Each function scopes first (`restrict`), then
counts with one aggregate query."""

from django.db.models import Count, Q

from projects.choices import PlanTaskStatus, ProjectCategory
from projects.models import PlanTask, Project


def plan_task_counts(user) -> dict:
    """Tasks of the plan the user can see, and how many are completed."""
    return PlanTask.objects.restrict(user).aggregate(
        total=Count("pk"),
        completed=Count("pk", filter=Q(status=PlanTaskStatus.COMPLETED)),
    )


def project_counts(user) -> dict:
    """Projects the user can see, in total and by category (共性/个性/延伸)."""
    return Project.objects.restrict(user).aggregate(
        total=Count("pk"),
        common=Count("pk", filter=Q(category=ProjectCategory.COMMON)),
        individual=Count("pk", filter=Q(category=ProjectCategory.INDIVIDUAL)),
        extension=Count("pk", filter=Q(category=ProjectCategory.EXTENSION)),
    )
