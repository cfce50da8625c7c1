"""manage.py load_pingxiang_demo: the Pingxiang demo data set (DESIGN.md §6)."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from demo.loader import DemoError, load_demo


class Command(BaseCommand):
    help = _("加载萍乡“1335”演示数据;已加载时只核对、不改动。")

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("在 DEBUG 关闭(生产)时也加载演示数据。"),
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(_("DEBUG 已关闭(生产环境),拒绝加载演示数据;确需加载请加 --force。"))
        started = time.perf_counter()
        try:
            result = load_demo()
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        seconds = time.perf_counter() - started
        if result.created:
            self.stdout.write(self.style.SUCCESS(_("演示数据已加载,用时 %.1f 秒。") % seconds))
        else:
            self.stdout.write(_("演示数据已存在,未做任何改动(核对用时 %.1f 秒)。") % seconds)
        for problem in result.problems:
            self.stderr.write(self.style.WARNING(_("与种子数据不一致:%s") % problem))
        self._print_figures(result.figures)

    def _print_figures(self, f):
        tasks = f["plan_tasks"]
        lines = [
            _("方案任务 %(completed)s/%(total)s 项已完成") % tasks,
            _("重点工作项目 %(total)s 项(共性 %(common)s、个性 %(individual)s、延伸 %(extension)s)")
            % f["projects"],
            _("县区 %(county)s 个、市直和省属单位 %(department)s 个、乡镇 %(township)s 个")
            % f["units"],
            _(
                "县区政务中心 %(county_centres)s 个、乡镇便民服务中心 %(township_centres)s 个、"
                "村级代办点 %(village_points)s 个"
            )
            % f["service_points"],
            _(
                "日常督查 %(routine)s 次、集中督查 %(concentrated)s 次、"
                "通报单位 %(units_notified)s 个"
            )
            % f["inspections"],
            _("表彰单位 %(units)s 个、县级领导干部 %(leaders)s 名") % f["commendations"],
            _("责任追究单位 %(units)s 个、县级领导干部 %(leaders)s 名") % f["accountability"],
            _("领导小组 %(groups)s 个、已签订责任书 %(letters)s 份")
            % {"groups": f["leading_groups"], "letters": f["responsibility_letters"]},
        ]
        for line in lines:
            self.stdout.write(f"  {line}")
