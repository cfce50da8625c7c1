from django.urls import path

from projects import actions, views

app_name = "projects"

urlpatterns = [
    path("projects/", views.project_list, name="list"),
    path("projects/<uuid:code>/", views.project_detail, name="detail"),
    path("units/<int:pk>/wall/", views.unit_wall, name="unit-wall"),
]

# The write pages (projects/actions.py).
urlpatterns += [
    path("projects/new/", actions.project_create, name="project-create"),
    path("projects/<uuid:code>/edit/", actions.project_edit, name="project-edit"),
    path("projects/<uuid:code>/copy/", actions.project_copy, name="project-copy"),
    path("projects/<uuid:code>/advance/", actions.project_advance, name="project-advance"),
    path("projects/<uuid:code>/splits/new/", actions.assignment_create, name="split-create"),
    path("splits/<int:pk>/edit/", actions.assignment_edit, name="split-edit"),
    path("splits/<int:pk>/cancel/", actions.assignment_cancel, name="split-cancel"),
    path("projects/<uuid:code>/ledger/new/", actions.ledger_entry_create, name="ledger-create"),
    path("ledger/<uuid:code>/edit/", actions.ledger_entry_edit, name="ledger-edit"),
    path("ledger/<uuid:code>/submit/", actions.ledger_entry_submit, name="ledger-submit"),
    path("ledger/<uuid:code>/delete/", actions.ledger_entry_delete, name="ledger-delete"),
    path("ledger/<uuid:code>/verify/", actions.ledger_entry_verify, name="ledger-verify"),
    path("ledger/<uuid:code>/return/", actions.ledger_entry_return, name="ledger-return"),
    path("evidence/<int:pk>/download/", actions.evidence_download, name="evidence-download"),
]
