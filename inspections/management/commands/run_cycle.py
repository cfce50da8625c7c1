"""python manage.py run_cycle monthly 2012-03   (quarterly 2012-Q1, semiannual 2012-H1, annual 2012)

Runs one supervision cycle with the same services as Celery beat: the cycle
and its frozen figures, the registered handlers (the monthly notice …), then
the documents (the notice's PDF, the semiannual reports). Safe to repeat.
With --enqueue the work is handed to the Celery worker instead."""

import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from inspections import tasks
from inspections.choices import CycleKind
from inspections.cycles import parse_period
from inspections.services.cycles import cycle_run


class Command(BaseCommand):
    help = "Run one supervision cycle (e.g. monthly 2012-03, semiannual 2012-H1)."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=CycleKind.values)
        parser.add_argument("period")
        parser.add_argument(
            "--enqueue", action="store_true", help="queue the job for the Celery worker and return"
        )
        parser.add_argument("--no-documents", action="store_true", help="skip rendering the PDFs")

    def handle(self, *args, kind, period, enqueue=False, no_documents=False, **options):
        try:
            parsed = parse_period(kind, period)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        if enqueue:
            tasks.run_cycle_task.delay(kind, parsed.text)
            self.stdout.write(_("已提交后台任务:%(label)s") % {"label": parsed.label})
            return
        started = time.monotonic()
        try:
            cycle = cycle_run(kind=kind, period=parsed.text)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        if not no_documents:
            pending = tasks.pending_documents(cycle)
            if pending["notice"] is not None:
                tasks.notice_pdf_task(pending["notice"])
            for unit_ids in tasks.batches(pending["units"]):
                tasks.report_batch_task(cycle.pk, unit_ids)
        overall = cycle.snapshot.get("overall", {})
        self.stdout.write(
            _(
                "%(cycle)s:%(projects)s个项目,平均核实进度%(progress)s%%,"
                "红灯%(red)s个、黄灯%(yellow)s个、绿灯%(green)s个;用时 %(seconds).1f 秒"
            )
            % {
                "cycle": cycle,
                "projects": overall.get("projects", 0),
                "progress": overall.get("progress", 0),
                "red": overall.get("red", 0),
                "yellow": overall.get("yellow", 0),
                "green": overall.get("green", 0),
                "seconds": time.monotonic() - started,
            }
        )
