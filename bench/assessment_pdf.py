"""How long a one-page score sheet takes, against bare WeasyPrint on the same
HTML, and how long scoring a whole demo year takes.

Run on demand, not part of the test suite:

    .venv/bin/python bench/assessment_pdf.py [--runs 20]

It loads the demo into a scratch SQLite database (a temporary folder, removed
afterwards) and, in the same run, times the median of `--runs` warm runs of
  (a) the score sheet of 安源区 for 2010 as the app renders it
      (assessments.exports.render_sheet_pdf: the queries, the template, the
      static-only URL fetcher, WeasyPrint), and
  (b) bare WeasyPrint on the same HTML string (HTML(string=...).write_pdf()
      with the same base URL and fetcher, the fonts found by fontconfig),
then prints both and their ratio; and the median of 3 runs of scoring every
unit and every indicator of the open year (assessment_compute for 2011).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _setup(scratch: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{scratch / 'bench.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(scratch / "media")
    os.environ["DEBUG"] = "false"
    os.environ["SECRET_KEY"] = os.urandom(32).hex()
    os.environ["CELERY_BROKER_URL"] = ""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pingxiang_cf.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import logging

    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_pingxiang_demo", force=True, verbosity=0)


def _median(function, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        _setup(Path(scratch))
        from datetime import date

        from django.template.loader import render_to_string
        from weasyprint import HTML
        from weasyprint.text.fonts import FontConfiguration

        from assessments import exports, services
        from assessments.models import AssessmentScheme, UnitAssessment
        from pingxiang_cf.pdf import PDF_BASE_URL, StaticOnlyFetcher
        from tests.pdfcheck import pdf_page_count

        def sheet():
            a = exports.sheet_queryset().get(scheme__year=2010, unit__name="安源区")
            return exports.render_sheet_pdf(a)

        a = exports.sheet_queryset().get(scheme__year=2010, unit__name="安源区")
        html = render_to_string("assessments/pdf/score_sheet.html", exports.sheet_context(a))

        def bare():
            HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=StaticOnlyFetcher()).write_pdf(
                font_config=FontConfiguration()
            )

        assert pdf_page_count(sheet()) == 1
        for _ in range(3):  # warm up both
            sheet()
            bare()
        app = _median(sheet, args.runs)
        plain = _median(bare, args.runs)
        print(f"score sheet (app):   {app * 1000:7.1f} ms  (median of {args.runs})")
        print(f"bare WeasyPrint:     {plain * 1000:7.1f} ms")
        print(f"ratio app / bare:    {app / plain:7.2f}")

        scheme = AssessmentScheme.objects.get(year=2011)
        units = UnitAssessment.objects.filter(scheme=scheme).count()
        indicators = scheme.indicators.count()
        scoring = _median(
            lambda: services.assessment_compute(scheme=scheme, actor=None, as_of=date(2011, 7, 31)),
            3,
        )
        print(f"whole year scoring:  {scoring:7.2f} s  ({units} units × {indicators} indicators)")


if __name__ == "__main__":
    main()
