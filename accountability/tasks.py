"""Background jobs of the accountability app. Tasks are thin: they take ids,
call the services, report progress on their Job row and attach the printed
set of letters."""

from __future__ import annotations

from celery import shared_task
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _

from accountability import services
from accountability.choices import LetterLevel
from accountability.models import LetterClause, Official, ResponsibilityLetter, Unit
from pingxiang_cf import jobs

JOB_KIND = "letters_generate"


def letters_pdf(year: int) -> bytes:
    """The year's city → lead-unit letters as one document to print: a list,
    then one letter per page."""
    # WeasyPrint is imported on first use: it is slow to load and logs as it does.
    from pingxiang_cf.pdf import render_pdf

    letters = (
        ResponsibilityLetter.objects.filter(year=year, level=LetterLevel.CITY_TO_LEAD)
        .select_related("issuer_unit", "recipient_unit", "issuer_signatory", "recipient_signatory")
        .prefetch_related(
            Prefetch(
                "clauses",
                queryset=LetterClause.objects.select_related(
                    "target__project", "indicator__scheme"
                ).order_by("number"),
            )
        )
        .order_by("recipient_unit__path")
    )
    items = [{"letter": letter, "clauses": list(letter.clauses.all())} for letter in letters]
    return render_pdf(
        "accountability/pdf/letters.html",
        {
            "letters": items,
            "city": Unit.objects.filter(parent__isnull=True).order_by("pk").first(),
            "title": _("%(year)d年度惩防体系建设责任书") % {"year": year},
        },
    )


@shared_task
def generate_letters(job_id: int, year: int, user_id: int, signatory_id: int | None = None):
    """Generate the year's letters (a rerun creates only the missing ones)
    and attach the printed set."""
    user = get_user_model().objects.get(pk=user_id)
    signatory = Official.objects.filter(pk=signatory_id).first() if signatory_id else None

    def progress(done, total):
        if done == 1:
            jobs.job_set_total(job_id, total + 1)  # + the printed set
        jobs.job_set_done(job_id, done)

    with jobs.job_running(job_id):
        result = services.letters_generate_year(
            year=year, actor=user, issuer_signatory=signatory, progress=progress
        )
        pdf = letters_pdf(year)
        message = _("%(year)d年度责任书:新生成%(created)d份,已存在%(skipped)d份。") % {
            "year": year,
            "created": len(result.created),
            "skipped": result.skipped,
        }
        jobs.job_finish(job_id, message=message, filename=f"letters-{year}.pdf", content=pdf)
    return message


def start_letter_generation(*, user, year: int, issuer_signatory=None) -> str:
    """Create the job (a second click joins a running one), queue the task
    once the request commits, and return the job page's URL."""
    services.permissions.ensure_commission(user)
    if not services.letters.lead_units_of_year(year).exists():
        raise ValidationError({"year": _("%(year)d年度没有项目,无法生成责任书。") % {"year": year}})
    job = jobs.job_create(
        kind=JOB_KIND,
        title=_("生成%(year)d年度责任书") % {"year": year},
        user=user,
        key=str(year),
    )
    jobs.job_enqueue(
        job, generate_letters, year, user.pk, issuer_signatory.pk if issuer_signatory else None
    )
    return reverse("jobs:detail", args=[job.code])
