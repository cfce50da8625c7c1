from django.urls import path

from assessments import views

app_name = "assessments"

urlpatterns = [
    path("assessments/", views.assessment_list, name="list"),
    path("assessments/<int:pk>/", views.assessment_detail, name="detail"),
    path("assessments/<int:pk>/pdf/", views.assessment_pdf, name="pdf"),
    path("assessments/<int:pk>/score/<int:indicator_id>/", views.score_edit, name="score"),
    path("assessments/<int:pk>/self-score/", views.self_score, name="self-score"),
    path("assessments/<int:pk>/review/", views.assessment_review, name="review"),
    path("assessments/<int:pk>/reopen/", views.assessment_reopen, name="reopen"),
    path("assessments/schemes/", views.scheme_list, name="schemes"),
    path("assessments/schemes/<int:year>/", views.scheme_detail, name="scheme"),
    path("assessments/schemes/<int:year>/copy/", views.scheme_copy, name="scheme-copy"),
    path("assessments/schemes/<int:year>/edit/", views.scheme_edit, name="scheme-edit"),
    path("assessments/schemes/<int:year>/open/", views.scheme_open, name="scheme-open"),
    path("assessments/schemes/<int:year>/compute/", views.scheme_compute, name="scheme-compute"),
    path("assessments/schemes/<int:year>/publish/", views.scheme_publish, name="scheme-publish"),
    path("assessments/schemes/<int:year>/sheets/", views.scheme_sheets, name="scheme-sheets"),
    path(
        "assessments/schemes/<int:year>/indicators/<int:pk>/delete/",
        views.indicator_delete,
        name="indicator-delete",
    ),
    path("assessments/schemes/<int:year>/proposals/", views.proposals_suggest, name="proposals"),
    path(
        "assessments/proposals/<int:pk>/<str:decision>/",
        views.proposal_decide,
        name="proposal-decide",
    ),
    path("assessments/schemes/<int:year>/ranking/", views.ranking, name="ranking"),
    path("assessments/sheets/<int:pk>/download/", views.sheet_download, name="sheet-download"),
]
