"""Constraints and clean() rules of the accountability models, and moving a
unit's subtree."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accountability import choices as acc
from accountability.models import (
    AccountabilityCase,
    Commendation,
    LeadingGroup,
    LeadingGroupMember,
    LetterClause,
    Membership,
    ResponsibilityLetter,
    RiskPoint,
    RiskPost,
    Section,
    Unit,
)
from accountability.services import unit_update
from pingxiang_cf.models import AuditLog
from pingxiang_cf.roles import Role
from tests import factories as f
from tests.querycount import count_queries
from tests.validation import (
    assert_create_refused,
    assert_db_refuses,
    assert_invalid,
    assert_valid,
)

pytestmark = pytest.mark.django_db

D = datetime.date


# --- Unit ------------------------------------------------------------------------------


def test_unit_code_is_unique():
    unit = f.UnitFactory(code="AY001")
    assert_invalid(
        Unit(
            code="AY001",
            name="另一单位",
            tier=acc.UnitTier.DEPARTMENT,
            kind=acc.UnitKind.MUNICIPAL_DEPT,
            parent=unit.parent,
        ),
        "具有 单位编码 的 单位 已存在。",
        field="code",
    )
    assert_db_refuses(
        lambda: Unit.objects.create(
            code="AY001", name="x", tier=unit.tier, kind=unit.kind, parent=unit.parent
        ),
        Unit,
    )


def test_city_unit_cannot_have_a_parent():
    city = f.city_unit()
    unit = Unit(code="C2", name="第二个市", tier=acc.UnitTier.CITY, kind=acc.UnitKind.CITY)
    unit.parent = city
    assert_invalid(unit, "市级单位不能有上级单位。", field="parent")


def test_unit_below_the_city_needs_a_parent():
    f.city_unit()
    assert_create_refused(
        Unit,
        "请选择上级单位。",
        code="NOPARENT",
        name="无上级单位",
        tier=acc.UnitTier.COUNTY,
        kind=acc.UnitKind.COUNTY,
    )


def test_unit_cannot_be_its_own_parent():
    county = f.CountyFactory()
    county.parent = county
    assert_invalid(county, "上级单位不能是本单位或其下级单位。", field="parent")


def test_unit_parent_cannot_be_inside_its_own_subtree():
    county = f.CountyFactory()
    township = f.TownshipFactory(parent=county)
    village = f.UnitFactory(
        parent=township, tier=acc.UnitTier.GRASSROOTS, kind=acc.UnitKind.VILLAGE_AGENT_POINT
    )
    for below in (township, village):
        county.parent = below
        assert_invalid(county, "上级单位不能是本单位或其下级单位。", field="parent")


def test_unit_move_into_own_subtree_is_refused_and_nothing_changes(commission):
    county = f.CountyFactory()
    township = f.TownshipFactory(parent=county)
    paths = dict(Unit.objects.values_list("pk", "path"))
    audits = AuditLog.objects.count()
    with pytest.raises(ValidationError) as info:
        unit_update(county, actor=commission, parent=township)
    assert info.value.message_dict["parent"] == ["上级单位不能是本单位或其下级单位。"]
    assert dict(Unit.objects.values_list("pk", "path")) == paths
    assert AuditLog.objects.count() == audits


def test_unit_with_a_prefix_like_path_is_not_inside_the_subtree():
    """/…/9001/ must not count /…/90010/ as below it."""
    short = f.CountyFactory(id=9001)
    longer = f.CountyFactory(id=90010)
    assert longer.path.startswith(short.path.rstrip("/"))
    assert not longer.is_below(short)
    short.parent = longer
    assert_valid(short)


def _tree_below(county):
    township = f.TownshipFactory(parent=county)
    village = f.UnitFactory(
        parent=township, tier=acc.UnitTier.GRASSROOTS, kind=acc.UnitKind.VILLAGE_AGENT_POINT
    )
    school = f.UnitFactory(parent=township, tier=acc.UnitTier.GRASSROOTS, kind=acc.UnitKind.SCHOOL)
    return township, village, school


def test_unit_update_moving_a_subtree_rewrites_paths_and_depths(commission):
    county_a, county_b = f.CountyFactory(), f.CountyFactory()
    township, village, school = _tree_below(county_a)
    moved = unit_update(township, actor=commission, parent=county_b)
    for unit in (township, village, school, county_a, county_b):
        unit.refresh_from_db()
    assert moved.path == township.path == f"{county_b.path}{township.pk}/"
    assert village.path == f"{township.path}{village.pk}/"
    assert school.path == f"{township.path}{school.pk}/"
    assert (township.depth, village.depth, school.depth) == (2, 3, 3)
    assert village.is_below(county_b) and not village.is_below(county_a)
    assert not Unit.objects.filter(path__startswith=county_a.path).exclude(pk=county_a.pk).exists()


def test_unit_update_moving_up_shortens_paths_and_depths(commission):
    county = f.CountyFactory()
    township, village, _school = _tree_below(county)
    unit_update(township, actor=commission, parent=f.city_unit())
    village.refresh_from_db()
    township.refresh_from_db()
    assert township.path == f"{f.city_unit().path}{township.pk}/"
    assert village.path == f"{township.path}{village.pk}/"
    assert (township.depth, village.depth) == (1, 2)


def _subtree_updates(queries):
    return [q for q in queries if q.startswith("UPDATE") and "LIKE" in q]


def test_unit_update_rewrites_the_subtree_in_one_update_whatever_its_size(commission):
    county_a, county_b = f.CountyFactory(), f.CountyFactory()
    small, *_ = _tree_below(county_a)
    large, *_ = _tree_below(county_a)
    for _ in range(10):
        f.UnitFactory(parent=large, tier=acc.UnitTier.GRASSROOTS, kind=acc.UnitKind.COMMUNITY)
    unit_update(county_b, actor=commission, name="乙县")  # warm the scope and type caches

    with count_queries() as small_move:
        unit_update(small, actor=commission, parent=county_b)
    with count_queries() as large_move:
        unit_update(large, actor=commission, parent=county_b)

    assert len(_subtree_updates(small_move.queries)) == 1
    assert len(_subtree_updates(large_move.queries)) == 1
    assert small_move.count == large_move.count
    assert Unit.objects.filter(path__startswith=large.path).count() == 13


def test_unit_update_without_a_move_leaves_paths_alone(commission):
    county = f.CountyFactory()
    township, village, _school = _tree_below(county)
    with count_queries() as qc:
        unit_update(township, actor=commission, name="改名后的镇")
    assert _subtree_updates(qc.queries) == []
    village.refresh_from_db()
    assert village.path == f"{county.path}{township.pk}/{village.pk}/"


def test_unit_update_moving_a_unit_records_one_audit_row(commission):
    county_a, county_b = f.CountyFactory(), f.CountyFactory()
    township, *_ = _tree_below(county_a)
    unit_update(township, actor=commission, parent=county_b)
    row = AuditLog.objects.get(action="update", object_id=str(township.pk))
    assert row.before["parent_id"] == county_a.pk
    assert row.after["parent_id"] == county_b.pk
    assert "parent_id" in row.changed_fields


# --- Section, Official, Membership ----------------------------------------------------


def test_section_name_is_unique_within_its_unit():
    section = f.SectionFactory(name="办公室")
    assert_invalid(Section(unit=section.unit, name="办公室"), "本单位已有同名科室。")
    assert_db_refuses(lambda: Section.objects.create(unit=section.unit, name="办公室"), Section)


def test_sections_of_different_units_may_share_a_name():
    f.SectionFactory(name="办公室")
    assert_valid(Section(unit=f.UnitFactory(), name="办公室"))


def test_official_section_must_belong_to_the_officials_unit():
    official = f.OfficialFactory()
    official.section = f.SectionFactory()
    assert_invalid(official, "所选科室不属于该干部所在单位。", field="section")
    official.section = f.SectionFactory(unit=official.unit)
    assert_valid(official)


def test_membership_is_unique_per_user_unit_and_role():
    membership = f.MembershipFactory(role=Role.LEAD_UNIT)
    duplicate = Membership(user=membership.user, unit=membership.unit, role=Role.LEAD_UNIT)
    assert_invalid(duplicate, "该用户在此单位已有此角色。")
    assert_db_refuses(
        lambda: Membership.objects.create(
            user=membership.user, unit=membership.unit, role=Role.LEAD_UNIT
        ),
        Membership,
    )
    assert_valid(Membership(user=membership.user, unit=membership.unit, role=Role.LEADER))


# --- Leading groups ----------------------------------------------------------------------


def test_leading_group_cannot_be_dissolved_before_it_is_established():
    group = f.LeadingGroupFactory.build(
        unit=f.UnitFactory(), established_on=D(2010, 5, 1), dissolved_on=D(2010, 4, 30)
    )
    assert_invalid(group, "撤销日期不能早于成立日期。")
    assert_db_refuses(lambda: group.save(), LeadingGroup)
    group.dissolved_on = D(2010, 5, 1)
    assert_valid(group)


def test_leading_group_seat_cannot_end_before_it_starts():
    seat = f.LeadingGroupMemberFactory()
    seat.end_on = seat.start_on - datetime.timedelta(days=1)
    assert_invalid(seat, "任职止日期不能早于任职起日期。")
    assert_db_refuses(
        lambda: LeadingGroupMember.objects.filter(pk=seat.pk).update(end_on=seat.end_on),
        LeadingGroupMember,
    )


# --- Responsibility letters ---------------------------------------------------------------


def _letter(**fields):
    base = {
        "year": 2024,
        "level": acc.LetterLevel.CITY_TO_LEAD,
        "title": "责任书",
        "issuer_unit": f.city_unit(),
    }
    return ResponsibilityLetter(**(base | fields))


def test_letter_is_unique_per_year_issuer_and_recipient_unit():
    letter = f.ResponsibilityLetterFactory()
    duplicate = _letter(recipient_unit=letter.recipient_unit)
    assert_invalid(duplicate, "该年度已与该单位签订责任书。")
    assert_db_refuses(lambda: duplicate.save(), ResponsibilityLetter)
    assert_valid(_letter(recipient_unit=letter.recipient_unit, year=2025))


def test_letter_to_a_section_is_unique_per_year():
    lead = f.UnitFactory()
    section = f.SectionFactory(unit=lead)
    fields = {
        "level": acc.LetterLevel.LEAD_TO_SECTION,
        "issuer_unit": lead,
        "recipient_unit": lead,
        "recipient_section": section,
    }
    first = _letter(**fields)
    assert_valid(first)
    first.save()
    assert_invalid(_letter(**fields), "该年度已与该科室签订责任书。")
    assert_db_refuses(lambda: _letter(**fields).save(), ResponsibilityLetter)


def test_letters_to_two_sections_of_one_unit_in_one_year_are_allowed():
    lead = f.UnitFactory()
    for name in ("办公室", "财务科"):
        letter = _letter(
            level=acc.LetterLevel.LEAD_TO_SECTION,
            issuer_unit=lead,
            recipient_unit=lead,
            recipient_section=f.SectionFactory(unit=lead, name=name),
        )
        assert_valid(letter)
        letter.save()


def test_signed_letter_needs_a_signing_date():
    letter = f.ResponsibilityLetterFactory()
    letter.status = acc.LetterStatus.SIGNED
    assert_invalid(letter, "已签订的责任书须填写签订日期。")
    assert_db_refuses(
        lambda: ResponsibilityLetter.objects.filter(pk=letter.pk).update(
            status=acc.LetterStatus.SIGNED
        ),
        ResponsibilityLetter,
    )
    letter.signed_on = D(2024, 2, 20)
    assert_valid(letter)


def test_letter_section_must_be_a_section_of_the_issuer():
    lead, other = f.UnitFactory(), f.UnitFactory()
    letter = _letter(
        level=acc.LetterLevel.LEAD_TO_SECTION,
        issuer_unit=lead,
        recipient_unit=other,
        recipient_section=f.SectionFactory(unit=other),
    )
    assert_invalid(letter, "只能与本单位的内设科室签订责任书。", field="recipient_section")


def test_letter_to_a_section_names_the_sections_unit_as_recipient():
    lead, other = f.UnitFactory(), f.UnitFactory()
    letter = _letter(
        level=acc.LetterLevel.LEAD_TO_SECTION,
        issuer_unit=lead,
        recipient_unit=other,
        recipient_section=f.SectionFactory(unit=lead),
    )
    assert_invalid(letter, "与科室签订时,乙方单位须是该科室所在单位。", field="recipient_unit")


def test_letter_parties_cannot_be_the_same_unit():
    unit = f.UnitFactory()
    assert_create_refused(
        ResponsibilityLetter,
        "甲乙双方不能是同一单位。",
        year=2024,
        level=acc.LetterLevel.LEAD_TO_SUBORDINATE,
        title="责任书",
        issuer_unit=unit,
        recipient_unit=unit,
    )


def test_letter_year_must_be_plausible():
    letter = f.ResponsibilityLetterFactory()
    letter.year = 1999
    assert_invalid(letter, "确保该值大于或等于2000。", field="year")


def test_letter_clause_numbers_are_unique_within_a_letter():
    clause = f.LetterClauseFactory(number=1)
    duplicate = LetterClause(letter=clause.letter, number=1, text="重复")
    assert_invalid(duplicate, "条款序号重复。")
    assert_db_refuses(lambda: duplicate.save(), LetterClause)
    assert_valid(LetterClause(letter=clause.letter, number=2, text="第二条"))


# --- Risk posts -------------------------------------------------------------------------


def test_risk_post_name_is_unique_per_unit_and_year():
    post = f.RiskPostFactory(name="财务岗")
    duplicate = RiskPost(unit=post.unit, year=post.year, name="财务岗")
    assert_invalid(duplicate, "本单位该年度已有同名风险岗位。")
    assert_db_refuses(lambda: duplicate.save(), RiskPost)
    assert_valid(RiskPost(unit=post.unit, year=post.year + 1, name="财务岗"))


def test_risk_post_section_must_belong_to_its_unit():
    post = f.RiskPostFactory()
    post.section = f.SectionFactory()
    assert_invalid(post, "所选科室不属于该单位。", field="section")


@pytest.mark.parametrize("value", [0, 6])
def test_risk_point_likelihood_is_between_1_and_5(value):
    point = f.RiskPointFactory()
    point.likelihood = value
    assert_invalid(point, "发生概率须在1到5之间。")
    assert_db_refuses(
        lambda: RiskPoint.objects.filter(pk=point.pk).update(likelihood=value), RiskPoint
    )


@pytest.mark.parametrize("value", [0, 6])
def test_risk_point_impact_is_between_1_and_5(value):
    point = f.RiskPointFactory()
    point.impact = value
    assert_invalid(point, "影响程度须在1到5之间。")
    assert_db_refuses(lambda: RiskPoint.objects.filter(pk=point.pk).update(impact=value), RiskPoint)


@pytest.mark.parametrize("value", [1, 5])
def test_risk_point_accepts_the_bounds(value):
    point = f.RiskPointFactory.build(power=f.RiskPowerFactory(), likelihood=value, impact=value)
    assert_valid(point)


# --- Commendations and accountability ---------------------------------------------------

OUTCOME_FACTORIES = [f.CommendationFactory, f.AccountabilityCaseFactory]


@pytest.mark.parametrize("factory", OUTCOME_FACTORIES)
def test_outcome_cannot_name_both_a_unit_and_an_official(factory):
    outcome = factory()
    outcome.official = f.OfficialFactory()
    assert_invalid(outcome, "单位和干部须且只能填写其中一项。")
    model = type(outcome)
    assert_db_refuses(
        lambda: model.objects.filter(pk=outcome.pk).update(official=outcome.official), model
    )


@pytest.mark.parametrize("factory", OUTCOME_FACTORIES)
def test_outcome_must_name_a_unit_or_an_official(factory):
    outcome = factory()
    outcome.unit = None
    assert_invalid(outcome, "单位和干部须且只能填写其中一项。")
    model = type(outcome)
    assert_db_refuses(lambda: model.objects.filter(pk=outcome.pk).update(unit=None), model)


@pytest.mark.parametrize("model", [Commendation, AccountabilityCase])
def test_outcome_of_an_official_is_valid(model):
    factory = f.CommendationFactory if model is Commendation else f.AccountabilityCaseFactory
    outcome = factory.build(unit=None, official=f.OfficialFactory())
    assert_valid(outcome)


def test_raw_duplicate_insert_leaves_earlier_rows_untouched():
    """A refused insert inside a transaction does not disturb the table."""
    section = f.SectionFactory(name="纪检组")
    with pytest.raises(IntegrityError), transaction.atomic():
        Section.objects.create(unit=section.unit, name="纪检组")
    assert list(Section.objects.filter(unit=section.unit)) == [section]
