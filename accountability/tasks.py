"""Background jobs of the accountability app. Tasks are thin: they take ids,
call the services and report progress on their Job row."""

from __future__ import annotations

from celery import shared_task
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from accountability import services
from accountability.models import Official

try:  # the shared job machinery (pingxiang_cf/jobs.py) lands from the lead
    from pingxiang_cf import jobs
except ImportError:  # pragma: no cover - until it lands, generation runs in the request
    jobs = None


@shared_task
def generate_letters(job_id, year: int, user_id: int, signatory_id: int | None = None):
    """Generate the year's letters; a rerun creates only the missing ones."""
    user = get_user_model().objects.get(pk=user_id)
    signatory = Official.objects.filter(pk=signatory_id).first() if signatory_id else None

    def progress(done, total):
        if job_id is not None and jobs is not None:
            if done == 1:
                jobs.job_set_total(job_id, total)
            jobs.job_advance(job_id)

    try:
        result = services.letters_generate_year(
            year=year, actor=user, issuer_signatory=signatory, progress=progress
        )
    except Exception as exc:
        if job_id is not None and jobs is not None:
            jobs.job_fail(job_id, error=str(exc))
        raise
    message = _("%(year)d年度责任书:新生成%(created)d份,已存在%(skipped)d份。") % {
        "year": year,
        "created": len(result.created),
        "skipped": result.skipped,
    }
    if job_id is not None and jobs is not None:
        jobs.job_finish(job_id, message=message)
    return message


def start_letter_generation(*, user, year: int, issuer_signatory=None) -> str:
    """Create the job, queue the task once the request commits, and return
    the URL of the page that shows its progress."""
    services.permissions.ensure_commission(user)
    if not services.letters.lead_units_of_year(year).exists():
        from django.core.exceptions import ValidationError

        raise ValidationError({"year": _("%(year)d年度没有项目,无法生成责任书。") % {"year": year}})
    signatory_id = issuer_signatory.pk if issuer_signatory else None
    if jobs is None:
        generate_letters(None, year, user.pk, signatory_id)
        return reverse("accountability:letters") + f"?year={year}&level=city_to_lead"
    job = jobs.job_create(kind="letters_generate", user=user, key=f"letters:{year}")
    transaction.on_commit(lambda: generate_letters.delay(job.pk, year, user.pk, signatory_id))
    return job.get_absolute_url()
