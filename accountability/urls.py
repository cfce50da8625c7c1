from django.urls import path

from accountability import views

app_name = "accountability"

urlpatterns = [
    # Responsibility letters
    path("letters/", views.letter_list, name="letters"),
    path("letters/generate/", views.letter_generate, name="letter-generate"),
    path("letters/completeness/", views.letter_completeness, name="letter-completeness"),
    path("letters/<uuid:code>/", views.letter_detail, name="letter-detail"),
    path("letters/<uuid:code>/pdf/", views.letter_pdf, name="letter-pdf"),
    path("letters/<uuid:code>/scan/", views.letter_scan, name="letter-scan"),
    path("letters/<uuid:code>/issue/", views.letter_issue, name="letter-issue"),
    path("letters/<uuid:code>/sign/", views.letter_sign, name="letter-sign"),
    path("letters/<uuid:code>/cascade/", views.letter_cascade, name="letter-cascade"),
    # Leading groups
    path("groups/", views.group_list, name="groups"),
    path("groups/new/", views.group_create, name="group-create"),
    path("groups/<int:pk>/", views.group_detail, name="group-detail"),
    path("groups/<int:pk>/members/new/", views.group_member_add, name="group-member-add"),
    path("groups/<int:pk>/dissolve/", views.group_dissolve, name="group-dissolve"),
    path("group-seats/<int:pk>/end/", views.group_member_end, name="group-member-end"),
    # Risk maps (四分法)
    path("risk/", views.risk_review_list, name="risk-maps"),
    path("risk/posts/", views.risk_post_list, name="risk-posts"),
    path("risk/start/", views.risk_review_start, name="risk-review-start"),
    path("risk/<int:unit_pk>/<int:year>/", views.risk_map, name="risk-map"),
    path(
        "risk/<int:unit_pk>/<int:year>/posts/new/", views.risk_post_create, name="risk-post-create"
    ),
    path(
        "risk/<int:unit_pk>/<int:year>/processes/new/",
        views.risk_process_create,
        name="risk-process-create",
    ),
    path(
        "risk/<int:unit_pk>/<int:year>/submit/", views.risk_review_submit, name="risk-review-submit"
    ),
    path(
        "risk/<int:unit_pk>/<int:year>/<str:decision>/",
        views.risk_review_decide,
        name="risk-review-decide",
    ),
    path("risk/posts/<int:pk>/powers/new/", views.risk_power_add, name="risk-power-add"),
    path("risk/powers/<int:pk>/points/new/", views.risk_point_add, name="risk-point-add"),
    path("risk/points/<int:pk>/edit/", views.risk_point_edit, name="risk-point-edit"),
    path("risk/points/<int:pk>/controls/new/", views.risk_control_add, name="risk-control-add"),
    # The register
    path("register/", views.register, name="register"),
    path("commendations/", views.commendation_list, name="commendations"),
    path(
        "commendations/new/",
        views.outcome_create,
        {"kind": "commendation"},
        name="commendation-create",
    ),
    path(
        "commendations/<int:pk>/",
        views.outcome_detail,
        {"kind": "commendation"},
        name="commendation-detail",
    ),
    path("commendations/<int:pk>/decide/", views.commendation_decide, name="commendation-decide"),
    path(
        "commendations/<int:pk>/file/",
        views.outcome_decision_file,
        {"kind": "commendation"},
        name="commendation-file",
    ),
    path("cases/", views.case_list, name="cases"),
    path("cases/new/", views.outcome_create, {"kind": "case"}, name="case-create"),
    path("cases/<int:pk>/", views.outcome_detail, {"kind": "case"}, name="case-detail"),
    path("cases/<int:pk>/file/", views.outcome_decision_file, {"kind": "case"}, name="case-file"),
    path("cases/<int:pk>/<str:step>/", views.case_step, name="case-step"),
    # Officials
    path("officials/", views.official_list, name="officials"),
]
