"""Deletions the rollups must hear of. Writes through projects.services
mark their projects dirty themselves; a project deleted (the admin, or a
cascade) is marked here, so that the next refresh rebuilds the cells and
snapshots it counted in instead of leaving them to the nightly refresh."""

from django.db.models.signals import post_delete
from django.dispatch import receiver

from dashboards.tasks import request_refresh
from projects.models import Project


@receiver(post_delete, sender=Project, dispatch_uid="dashboards.project_deleted")
def project_deleted(sender, instance, **kwargs):
    request_refresh([instance.pk])
