"""Schemathesis against the OpenAPI schema, for two roles (the commission
and a lead-unit editor, each with a personal API token): generated requests
to every operation must never get a 5xx, and every response must conform to
the schema (status code documented, content type, body). Detail URLs are
pointed at real objects of the role's scope half of the time, so that the
services run on generated input too.

Slow-ish (hypothesis): skipped unless SCHEMATHESIS=1; `.ci/run` runs it as
its own step. SCHEMATHESIS_EXAMPLES sets the examples per operation."""

import json
import os

import pytest

if not os.environ.get("SCHEMATHESIS"):
    pytest.skip("set SCHEMATHESIS=1 to run the schema fuzzing", allow_module_level=True)

import schemathesis
from django.core.wsgi import get_wsgi_application
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from pingxiang_cf import jobs, tokens
from projects.choices import LedgerStatus
from tests import factories as f

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "15"))


def _schema():
    raw = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(raw))


schema = schemathesis.openapi.from_dict(_schema())
schema.app = get_wsgi_application()


@pytest.fixture
def world(tree, commission, editor_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    a, b = tree["county_a"], tree["county_b"]
    project_a = f.ProjectFactory(lead_unit=a, co_units=[tree["township_a"]])
    f.TargetFactory(project=project_a)
    project_b = f.ProjectFactory(lead_unit=b)
    entry_a = f.LedgerEntryFactory(project=project_a, unit=a)
    f.LedgerEntryFactory(project=project_b, unit=b, status=LedgerStatus.SUBMITTED)
    split = f.DownwardAssignmentFactory(project=project_a, assignee_unit=tree["township_a"])
    task = f.PlanTaskFactory(lead_unit=a)
    target = project_a.targets.get()
    milestone = f.MilestoneFactory(project=project_a)
    job = jobs.job_create(kind="export", title="导出", user=editor_a)
    jobs.job_finish(job.pk, filename="export.csv", content=b"a,b\n1,2\n")
    objects = {
        "projects": project_a.code,
        "ledger-entries": entry_a.code,
        "assignments": split.pk,
        "plan-tasks": task.pk,
        "units": a.pk,
        "targets": target.pk,
        "milestones": milestone.pk,
        "jobs": job.code,
    }
    keys = {}
    for user in (commission, editor_a):
        token, key = tokens.token_create(actor=user, user=user, name="schemathesis")
        keys[user.username] = key
        keys[f"{user.username}:token"] = token.pk
    return {"keys": keys, "objects": objects}


def _point_at_real_objects(case, world, role):
    params = case.path_parameters or {}
    resource = case.path.split("/")[3] if case.path.count("/") > 3 else ""
    if not params or hash(json.dumps(case.body, default=str, sort_keys=True)) % 2:
        return
    for name in params:
        if resource == "tokens":
            params[name] = world["keys"][f"{role}:token"]
        elif resource in world["objects"]:
            params[name] = world["objects"][resource]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["commission", "editor_a"])
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(case, role, world):
    _point_at_real_objects(case, world, role)
    headers = {"Authorization": f"Bearer {world['keys'][role]}"}
    response = case.call(headers=headers)
    case.validate_response(
        response,
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
    )
