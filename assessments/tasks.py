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


@shared_task(name="assessments.generate_score_sheets")
def generate_score_sheets(job_id: int, scheme_id: int) -> int:
    """Every unit's PDF sheet and the summary XLSX of a scheme, with progress;
    a rerun replaces the same ScoreSheet rows (one per unit and kind)."""
    from assessments.services import score_sheets_generate
    from pingxiang_cf.jobs import job_advance, job_finish, job_running, job_set_total

    scheme = AssessmentScheme.objects.get(pk=scheme_id)
    with job_running(job_id):
        count = score_sheets_generate(
            scheme=scheme,
            on_total=lambda total: job_set_total(job_id, total),
            on_progress=lambda: job_advance(job_id),
        )
        sheet = scheme.sheets.get(assessment__isnull=True, kind="xlsx")
        job_finish(
            job_id,
            message=f"{count}",
            filename=sheet.file.name.rsplit("/", 1)[-1],
            content=sheet.file.open("rb").read(),
        )
    return count
