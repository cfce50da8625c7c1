"""Pages of the semiannual supervision reports (督导报告): the list (a unit's
users see their own units' reports, the commission and leaders all), a
report as a page and as a PDF."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render

from inspections import selectors_cycles as selectors
from inspections.filters import SupervisionReportFilterSet
from inspections.services import reports as services
from inspections.views.cycles import list_page
from pingxiang_cf.pdf import pdf_response


@login_required
def report_list(request):
    filterset = SupervisionReportFilterSet(
        request.GET or None, queryset=selectors.reports_for(request.user), request=request
    )
    return render(request, "inspections/report_list.html", list_page(request, filterset))


def _report(request, code):
    report = selectors.report_detail(request.user, code)
    if report is None:
        raise Http404
    return report


@login_required
def report_detail(request, code):
    report = _report(request, code)
    return render(request, "inspections/report_detail.html", services.report_context(report))


@login_required
def report_pdf(request, code):
    report = _report(request, code)
    filename = f"{services.report_title(report)}.pdf"
    if report.pdf:
        try:
            return FileResponse(report.pdf.open("rb"), as_attachment=True, filename=filename)
        except FileNotFoundError:
            pass
    return pdf_response(services.render_report_pdf(report), filename)
