"""The unit admin writes through the tree services, so `path` stays right."""

from django.urls import reverse

from accountability import choices as acc
from accountability.models import Unit
from pingxiang_cf import audit
from pingxiang_cf.models import AuditAction


def unit_form(**values):
    data = {
        "code": "U-NEW",
        "name": "新单位",
        "tier": acc.UnitTier.GRASSROOTS,
        "kind": acc.UnitKind.TOWNSHIP,
        "sort_order": 0,
        "is_active": "on",
        "sections-TOTAL_FORMS": 0,
        "sections-INITIAL_FORMS": 0,
    }
    data.update(values)
    return data


def test_admin_creates_unit_in_its_place_in_the_tree(client, tree, commission):
    client.force_login(commission)
    county = tree["county_a"]

    response = client.post(reverse("admin:accountability_unit_add"), unit_form(parent=county.pk))

    assert response.status_code == 302
    unit = Unit.objects.get(code="U-NEW")
    assert unit.path == f"{county.path}{unit.pk}/"
    assert unit.depth == county.depth + 1
    [row] = audit.history(unit)
    assert row.action == AuditAction.CREATE and row.actor == commission


def test_admin_moving_a_unit_re_roots_its_subtree_and_records_the_move(client, tree, commission):
    client.force_login(commission)
    county_a, county_b, township = tree["county_a"], tree["county_b"], tree["township_a"]
    village = Unit.objects.get(pk=tree["township_a"].pk)
    child = client.post(
        reverse("admin:accountability_unit_add"),
        unit_form(code="U-VILLAGE", name="甲村", parent=village.pk),
    )
    assert child.status_code == 302

    response = client.post(
        reverse("admin:accountability_unit_change", args=[township.pk]),
        unit_form(code=township.code, name=township.name, parent=county_b.pk),
    )

    assert response.status_code == 302
    township.refresh_from_db()
    assert township.path == f"{county_b.path}{township.pk}/"
    moved_child = Unit.objects.get(code="U-VILLAGE")
    assert moved_child.path == f"{township.path}{moved_child.pk}/"
    [row] = [r for r in audit.history(township) if r.action == AuditAction.UPDATE]
    assert (row.before["parent_id"], row.after["parent_id"]) == (county_a.pk, county_b.pk)


def test_unit_path_and_depth_are_read_only_in_the_admin(client, tree, commission):
    client.force_login(commission)
    county = tree["county_a"]
    response = client.post(
        reverse("admin:accountability_unit_change", args=[county.pk]),
        unit_form(
            code=county.code,
            name=county.name,
            tier=county.tier,
            kind=county.kind,
            parent=tree["city"].pk,
            path="/tampered/",
            depth=9,
        ),
    )
    assert response.status_code == 302
    county.refresh_from_db()
    assert county.path != "/tampered/" and county.depth == 1
