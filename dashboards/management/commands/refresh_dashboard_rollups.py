"""Rebuild the dashboards' rollup tables now (what the Celery jobs do)."""

import time

from django.core.management.base import BaseCommand

from dashboards import rollups


class Command(BaseCommand):
    help = "重建统计看板的汇总表(默认只刷新有改动的项目;--full 全量重建)。"

    def add_arguments(self, parser):
        parser.add_argument("--full", action="store_true", help="全量重建")

    def handle(self, *args, full=False, **options):
        started = time.monotonic()
        with rollups.exclusive() as acquired:
            if not acquired:
                self.stdout.write("another refresh is running; nothing done")
                return
            count = rollups.refresh_all() if full else rollups.refresh_dirty()
        self.stdout.write(f"{count} projects refreshed in {time.monotonic() - started:.1f} s")
