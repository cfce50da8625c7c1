from django.urls import path

from inspections.views import cycles, notices, reports

app_name = "inspections"

urlpatterns = []

# --- Supervision cycles, notices, semiannual reports (cycles block) -----------------------------
urlpatterns += [
    path("cycles/", cycles.cycle_list, name="cycle-list"),
    path("cycles/run/", cycles.cycle_run_now, name="cycle-run"),
    path("cycles/<int:pk>/", cycles.cycle_detail, name="cycle-detail"),
    path("notices/", notices.notice_list, name="notice-list"),
    path("notices/<uuid:code>/", notices.notice_detail, name="notice-detail"),
    path("notices/<uuid:code>/pdf/", notices.notice_pdf, name="notice-pdf"),
    path("notices/<uuid:code>/edit/", notices.notice_edit, name="notice-edit"),
    path("notices/<uuid:code>/review/", notices.notice_review, name="notice-review"),
    path("notices/<uuid:code>/return/", notices.notice_return, name="notice-return"),
    path("notices/<uuid:code>/publish/", notices.notice_publish, name="notice-publish"),
    path("notices/<uuid:code>/reopen/", notices.notice_reopen, name="notice-reopen"),
    path("notices/<uuid:code>/regenerate/", notices.notice_regenerate, name="notice-regenerate"),
    path(
        "notices/<uuid:code>/named/<int:pk>/remove/",
        notices.notice_unit_remove,
        name="notice-unit-remove",
    ),
    path("reports/", reports.report_list, name="report-list"),
    path("reports/<uuid:code>/", reports.report_detail, name="report-detail"),
    path("reports/<uuid:code>/pdf/", reports.report_pdf, name="report-pdf"),
]
