"""The fast rows of the API (pingxiang_cf.api.rows): a page read with
`fetch_values` is what Django's `.values()` gives (on PostgreSQL through
psycopg's own time-stamp loader), the key is fetched once, and a row equals
what the read serializer makes of the object."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pingxiang_cf.api.rows import RowPlan, fetch_values
from projects.api.serializers import ProjectSerializer
from projects.models import Project
from tests import factories as f
from tests.api.mixins import _jsonable

pytestmark = pytest.mark.django_db


def test_fetch_values_equals_django_values(tree):
    for _ in range(3):
        f.ProjectFactory(lead_unit=tree["county_a"], co_units=[tree["township_a"]])
    plan = RowPlan(ProjectSerializer, Project)
    queryset = plan.values(Project.objects.order_by("-year", "number", "pk"))
    assert fetch_values(queryset) == list(queryset)
    assert fetch_values(queryset.none()) == []


def test_ids_are_read_once_and_rows_equal_the_serializer(tree):
    project = f.ProjectFactory(lead_unit=tree["county_a"], co_units=[tree["township_a"]])
    project.mechanisms.add(f.MechanismFactory())
    plan = RowPlan(ProjectSerializer, Project)
    assert "id" not in plan.paths and "tier__id" not in plan.paths
    assert {"pk", "tier_id", "program_id", "lead_unit_id"} <= set(plan.paths)
    with CaptureQueriesContext(connection) as queries:
        [row] = plan.rows(plan.values(Project.objects.filter(pk=project.pk)))
    assert len(queries) == 3  # the row, and one query per many-to-many field
    assert _jsonable(row) == _jsonable(ProjectSerializer(Project.objects.get(pk=project.pk)).data)
    assert list(row) == list(ProjectSerializer().fields)  # the declared key order
