"""Celery tasks of the assessments app: thin, ids only, each calling one
service. Reruns are safe: scoring rewrites the same rows with the same values."""

from celery import shared_task
from django.contrib.auth import get_user_model

from assessments.models import AssessmentScheme
from assessments.services import assessment_compute


def _user(user_id):
    if user_id is None:
        return None
    return get_user_model().objects.filter(pk=user_id).first()


@shared_task(name="assessments.compute_scheme")
def compute_scheme(scheme_id: int, user_id: int | None = None) -> int:
    """Compute the automatic indicators of every unpublished assessment of the
    scheme, in batches (assessments.services.BATCH_SIZE units per transaction)."""
    scheme = AssessmentScheme.objects.filter(pk=scheme_id).first()
    if scheme is None:
        return 0
    return assessment_compute(scheme=scheme, actor=_user(user_id))
