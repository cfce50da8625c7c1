from django.urls import path

from inspections.views import cycles, findings, inspections, letters, meetings, notices, reports

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

# --- Escalation ladder, inspections, findings, joint meetings (h4b) --------------------------
urlpatterns += [
    path("reminders/", letters.reminder_list, name="reminder-list"),
    path("reminders/propose/", letters.reminder_propose, name="reminder-propose"),
    path("reminders/<int:pk>/send/", letters.reminder_send, name="reminder-send"),
    path("reminders/<int:pk>/dismiss/", letters.reminder_dismiss, name="reminder-dismiss"),
    path("reminders/<int:pk>/letter/", letters.reminder_issue, name="reminder-issue"),
    path("letters/", letters.letter_list, name="letter-list"),
    path("letters/new/", letters.letter_create, name="letter-create"),
    path("letters/<uuid:code>/", letters.letter_detail, name="letter-detail"),
    path("letters/<uuid:code>/pdf/", letters.letter_pdf, name="letter-pdf"),
    path("letters/<uuid:code>/reply/", letters.letter_reply, name="letter-reply"),
    path("letters/<uuid:code>/accept/", letters.letter_accept, name="letter-accept"),
    path("letters/<uuid:code>/return/", letters.letter_return, name="letter-return"),
    path("letter-replies/<int:pk>/download/", letters.reply_download, name="reply-download"),
    path("interviews/<int:pk>/record/", letters.interview_record, name="interview-record"),
    path("units/<int:pk>/supervision/", letters.unit_supervision, name="unit-supervision"),
    path("inspections/", inspections.inspection_list, name="inspection-list"),
    path("inspections/new/", inspections.inspection_create, name="inspection-create"),
    path("inspections/<int:pk>/", inspections.inspection_detail, name="inspection-detail"),
    path("inspections/<int:pk>/edit/", inspections.inspection_edit, name="inspection-edit"),
    path("inspections/<int:pk>/findings/new/", findings.finding_create, name="finding-create"),
    path("inspection-plans/", inspections.plan_list, name="plan-list"),
    path("inspection-plans/new/", inspections.plan_create, name="plan-create"),
    path("inspection-plans/<int:pk>/", inspections.plan_detail, name="plan-detail"),
    path("inspection-plans/<int:pk>/edit/", inspections.plan_edit, name="plan-edit"),
    path("inspection-plans/<int:pk>/approve/", inspections.plan_approve, name="plan-approve"),
    path("findings/", findings.finding_list, name="finding-list"),
    path("findings/<int:pk>/", findings.finding_detail, name="finding-detail"),
    path("findings/<int:pk>/start/", findings.finding_start, name="finding-start"),
    path("findings/<int:pk>/submit/", findings.finding_submit, name="finding-submit"),
    path("findings/<int:pk>/verify/", findings.finding_verify, name="finding-verify"),
    path("findings/<int:pk>/return/", findings.finding_return, name="finding-return"),
    path(
        "rectifications/<int:pk>/download/",
        findings.rectification_download,
        name="rectification-download",
    ),
    path("meetings/", meetings.meeting_list, name="meeting-list"),
    path("meetings/new/", meetings.meeting_create, name="meeting-create"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting-detail"),
    path("meetings/<int:pk>/items/new/", meetings.action_item_add, name="action-item-add"),
    path("meeting-items/", meetings.action_item_list, name="action-item-list"),
    path(
        "meeting-items/<int:pk>/complete/",
        meetings.action_item_complete,
        name="action-item-complete",
    ),
    path("meeting-items/<int:pk>/reopen/", meetings.action_item_reopen, name="action-item-reopen"),
]
