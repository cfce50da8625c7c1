"""The accountability services: the unit tree and the risk level rule."""

import pytest
from django.core.exceptions import PermissionDenied

from accountability.choices import RiskLevel
from accountability.models import Unit
from accountability.services import risk_level, unit_create, unit_update
from pingxiang_cf import audit
from pingxiang_cf.models import AuditAction
from tests import factories as f


def test_unit_create_audits_the_unit_with_its_place_in_the_tree(tree, commission):
    county = tree["county_a"]
    unit = unit_create(
        actor=commission,
        code="T-NEW",
        name="甲县二镇",
        tier="grassroots",
        kind="township",
        parent=county,
    )
    assert unit.path == f"{county.path}{unit.pk}/"
    assert unit.depth == county.depth + 1
    row = audit.history(unit).get()
    assert row.action == AuditAction.CREATE
    assert row.actor == commission
    assert row.after["path"] == unit.path
    assert row.after["depth"] == unit.depth


def test_unit_update_moving_a_subtree_audits_the_new_path(tree, commission):
    township = tree["township_a"]
    village = f.UnitFactory(
        name="一村", parent=township, tier="grassroots", kind="village_agent_point"
    )
    unit_update(township, actor=commission, parent=tree["county_b"])
    village.refresh_from_db()
    assert township.path == f"{tree['county_b'].path}{township.pk}/"
    assert village.path == f"{township.path}{village.pk}/"
    assert village.depth == township.depth + 1
    row = audit.history(township).filter(action=AuditAction.UPDATE).get()
    assert row.before["path"] == f"{tree['county_a'].path}{township.pk}/"
    assert row.after["path"] == township.path
    assert {"parent_id", "path"} <= set(row.changed_fields)


def test_editor_cannot_create_units(tree, editor_a):
    before = Unit.objects.count()
    with pytest.raises(PermissionDenied):
        unit_create(
            actor=editor_a,
            code="T-X",
            name="私设机构",
            tier="grassroots",
            kind="township",
            parent=tree["county_a"],
        )
    assert Unit.objects.count() == before


@pytest.mark.parametrize(
    ("likelihood", "impact", "level"),
    [
        (1, 1, RiskLevel.LOW),
        (1, 5, RiskLevel.LOW),  # 5
        (2, 3, RiskLevel.LOW),  # 6: highest low
        (2, 4, RiskLevel.MEDIUM),  # 8: lowest medium
        (3, 3, RiskLevel.MEDIUM),  # 9
        (2, 5, RiskLevel.MEDIUM),  # 10
        (3, 4, RiskLevel.MEDIUM),  # 12: highest medium
        (3, 5, RiskLevel.HIGH),  # 15: lowest high
        (5, 5, RiskLevel.HIGH),
    ],
)
def test_risk_level_boundaries(likelihood, impact, level):
    assert risk_level(likelihood, impact) == level
