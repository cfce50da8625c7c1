"""Responsibility letters (责任书): yearly generation for the lead units from
a template, the cascade from a lead unit to its sections and subordinate
units, issuing and signing (with the scanned copy).

Generation is idempotent: the database allows one letter per year, issuer
and recipient unit (or section); a unit that already has its letter is
skipped, so a job that runs twice produces each letter once."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accountability.choices import LetterLevel, LetterStatus
from accountability.models import (
    LetterClause,
    Membership,
    Official,
    ResponsibilityLetter,
    Section,
    Unit,
)
from accountability.services.permissions import edits_unit, ensure, ensure_commission
from pingxiang_cf.filetypes import JPEG, PDF, PNG, sniff
from pingxiang_cf.roles import Role
from pingxiang_cf.services import audited_create, audited_transition, ensure_can

SCAN_KINDS = (PDF, PNG, JPEG)
SCAN_MAX_BYTES = 20 * 1024 * 1024
# The assessment indicator a letter's assessment clause commits to (the
# scoring rule named in assessments: the share of letters signed).
LETTER_INDICATOR_RULE = "responsibility_letters_signed"


@dataclass
class GenerateResult:
    created: list = field(default_factory=list)
    skipped: int = 0


# --- Reading what a letter commits to -----------------------------------------------------


def _project_models():
    return apps.get_model("projects", "Project"), apps.get_model("projects", "Target")


def lead_units_of_year(year: int):
    """Units that lead at least one project of `year` (the letters' recipients)."""
    project = _project_models()[0]
    return Unit.objects.filter(
        pk__in=project.objects.filter(year=year).values("lead_unit"), is_active=True
    ).order_by("path")


def unit_head(unit: Unit) -> Official | None:
    """The unit's principal head: its first active official outside any section."""
    return (
        Official.objects.filter(unit=unit, section__isnull=True, is_active=True)
        .order_by("pk")
        .first()
    )


def section_chief(section: Section) -> Official | None:
    return Official.objects.filter(section=section, is_active=True).order_by("pk").first()


def commission_secretary(actor) -> Official | None:
    """Party A's default signatory: the head of the unit where the acting
    user holds the commission role (the commission secretary)."""
    if actor is None:
        return None
    membership = (
        Membership.objects.filter(user=actor, role=Role.COMMISSION).select_related("unit").first()
    )
    return unit_head(membership.unit) if membership else None


def _letter_indicator(year: int):
    indicator = apps.get_model("assessments", "Indicator")
    return (
        indicator.objects.filter(scheme__year=year, rule_code=LETTER_INDICATOR_RULE)
        .order_by("pk")
        .first()
    )


def _lead_clauses(unit: Unit, year: int) -> list[tuple[str, object, object]]:
    """(text, target, indicator) of a city → lead-unit letter: the duty, one
    clause per quantified target of each project the unit leads, the ledger
    duty, the assessment and the accountability clause."""
    _project, target_model = _project_models()
    clauses = [
        (
            _(
                "单位主要负责人为惩防体系建设第一责任人,班子成员落实“一岗双责”,对职责范围内的惩防体系建设负直接领导责任。"
            ),
            None,
            None,
        )
    ]
    targets = (
        target_model.objects.filter(project__year=year, project__lead_unit=unit)
        .select_related("project")
        .order_by("project__number", "pk")
    )
    for target in targets:
        value = f"{target.target_value.normalize():f}" if target.target_value is not None else ""
        clauses.append(
            (
                _(
                    "牵头完成“%(project)s”(%(number)s)项目,实现量化目标:%(target)s%(value)s%(unit)s。"
                )
                % {
                    "project": target.project.name,
                    "number": target.project.number,
                    "target": target.description,
                    "value": value,
                    "unit": target.measure_unit,
                },
                target,
                None,
            )
        )
    clauses.append(
        (
            _(
                "按“一月一通报、一季一督查、半年一督导、一年一考核”要求,按时报送项目管理台账和工作进展。"
            ),
            None,
            None,
        )
    )
    clauses.append(
        (
            _("接受年度百分制量化考核,考核结果与党风廉政建设责任制考核、干部年度考核同步运用。"),
            None,
            _letter_indicator(year),
        )
    )
    clauses.append(
        (
            _("未完成责任目标的,按照有关规定予以通报批评、取消评先评优资格,直至追究责任。"),
            None,
            None,
        )
    )
    return clauses


def _cascade_clauses(parent: ResponsibilityLetter) -> list[tuple[str, object, object]]:
    return [
        (_("落实本单位(科室)惩防体系建设主体责任,完成分解的项目任务和量化目标。"), None, None),
        (_("建立健全工作台账,按时报送工作进展,接受督查和考核。"), None, None),
        (
            _("未完成责任目标的,按照%(issuer)s有关规定追究责任。")
            % {"issuer": parent.recipient_unit.name},
            None,
            None,
        ),
    ]


def _add_clauses(letter, clauses, *, actor) -> None:
    for number, (text, target, indicator) in enumerate(clauses, start=1):
        audited_create(
            LetterClause,
            actor=actor,
            letter=letter,
            number=number,
            text=text,
            target=target,
            indicator=indicator,
        )


# --- Generation ---------------------------------------------------------------------------


def _root() -> Unit:
    root = Unit.objects.filter(parent__isnull=True).order_by("pk").first()
    if root is None:
        raise ValidationError(_("尚未建立市级单位,无法生成责任书。"))
    return root


def letter_generate(
    *, unit: Unit, year: int, actor, issuer_signatory: Official | None = None
) -> ResponsibilityLetter | None:
    """The city's letter with one lead unit for `year`, with its clauses; None
    if the unit already has it (nothing changes)."""
    ensure_commission(actor)
    root = _root()
    exists = ResponsibilityLetter.objects.filter(
        year=year, issuer_unit=root, recipient_unit=unit, recipient_section__isnull=True
    )
    if exists.exists():
        return None
    try:
        with transaction.atomic():
            letter = audited_create(
                ResponsibilityLetter,
                actor=actor,
                year=year,
                level=LetterLevel.CITY_TO_LEAD,
                title=_("%(year)d年度惩防体系建设责任书(%(issuer)s—%(unit)s)")
                % {
                    "year": year,
                    "issuer": _("中共%(city)s委") % {"city": root.name},
                    "unit": unit.name,
                },
                issuer_unit=root,
                issuer_signatory=issuer_signatory,
                recipient_unit=unit,
                recipient_signatory=unit_head(unit),
            )
            _add_clauses(letter, _lead_clauses(unit, year), actor=actor)
    except IntegrityError:
        return None  # another run created it meanwhile: one letter per unit and year
    return letter


def letters_generate_year(
    *, year: int, actor, issuer_signatory: Official | None = None, progress=None
) -> GenerateResult:
    """Letters for every lead unit of `year`; `progress(done, total)` is
    called as units are handled (the job's progress bar)."""
    ensure_commission(actor)
    issuer_signatory = issuer_signatory or commission_secretary(actor)
    units = list(lead_units_of_year(year))
    if not units:
        raise ValidationError({"year": _("%(year)d年度没有项目,无法生成责任书。") % {"year": year}})
    result = GenerateResult()
    for index, unit in enumerate(units, start=1):
        letter = letter_generate(
            unit=unit, year=year, actor=actor, issuer_signatory=issuer_signatory
        )
        if letter is None:
            result.skipped += 1
        else:
            result.created.append(letter)
        if progress:
            progress(index, len(units))
    return result


def letter_cascade(letter: ResponsibilityLetter, *, actor) -> GenerateResult:
    """The lead unit passes its letter down: one letter with each of its
    sections and each unit directly below it, for the same year (skipping
    those that exist). Done by the lead unit's editors or the commission,
    once the city's letter has been issued."""
    ensure(
        actor,
        edits_unit(actor, letter.recipient_unit),
        _("只有该牵头单位或纪委惩防办可以分解下达责任书。"),
    )
    if letter.level != LetterLevel.CITY_TO_LEAD:
        raise ValidationError(_("只有市委与牵头单位签订的责任书可以向下分解。"))
    if letter.status == LetterStatus.DRAFT:
        raise ValidationError(_("责任书尚未下发,不能向下分解。"))
    lead = letter.recipient_unit
    result = GenerateResult()
    with transaction.atomic():
        targets = [
            (LetterLevel.LEAD_TO_SUBORDINATE, child, None, unit_head(child))
            for child in lead.children.filter(is_active=True).order_by("sort_order", "pk")
        ]
        targets += [
            (LetterLevel.LEAD_TO_SECTION, lead, section, section_chief(section))
            for section in lead.sections.order_by("sort_order", "pk")
        ]
        existing_units = set(
            ResponsibilityLetter.objects.filter(
                year=letter.year, issuer_unit=lead, recipient_section__isnull=True
            ).values_list("recipient_unit_id", flat=True)
        )
        existing_sections = set(
            ResponsibilityLetter.objects.filter(
                year=letter.year, recipient_section__unit=lead
            ).values_list("recipient_section_id", flat=True)
        )
        head = unit_head(lead)
        for level, unit, section, signatory in targets:
            if (section and section.pk in existing_sections) or (
                not section and unit.pk in existing_units
            ):
                result.skipped += 1
                continue
            name = section.name if section else unit.name
            word = _("责任状") if section else _("责任书")
            result.created.append(
                _create_cascaded(letter, actor, level, unit, section, signatory, head, name, word)
            )
    return result


def letter_cascade_step(letter: ResponsibilityLetter, *, actor) -> ResponsibilityLetter:
    """The cascade as a workflow step on the letter (the API's action)."""
    letter_cascade(letter, actor=actor)
    return letter


def _create_cascaded(parent, actor, level, unit, section, signatory, head, name, word):
    child = audited_create(
        ResponsibilityLetter,
        actor=actor,
        year=parent.year,
        level=level,
        title=_("%(year)d年度惩防体系建设%(word)s(%(lead)s—%(name)s)")
        % {"year": parent.year, "word": word, "lead": parent.recipient_unit.name, "name": name},
        issuer_unit=parent.recipient_unit,
        issuer_signatory=head,
        recipient_unit=unit,
        recipient_section=section,
        recipient_signatory=signatory,
        parent=parent,
    )
    _add_clauses(child, _cascade_clauses(parent), actor=actor)
    return child


# --- Issuing and signing ------------------------------------------------------------------


def _lock(letter: ResponsibilityLetter) -> ResponsibilityLetter:
    list(ResponsibilityLetter._base_manager.select_for_update().filter(pk=letter.pk).values("pk"))
    letter.refresh_from_db()
    return letter


@transaction.atomic
def letter_issue(letter: ResponsibilityLetter, *, actor, reason: str = "") -> ResponsibilityLetter:
    """Draft → issued: the letter goes to party B for signature (the issuer)."""
    ensure_can(actor, letter)
    letter = _lock(letter)
    if letter.status != LetterStatus.DRAFT:
        raise ValidationError(_("只有草稿状态的责任书可以下发。"))
    return audited_transition(letter, actor=actor, to_state=LetterStatus.ISSUED, reason=reason)


def _check_scan(file) -> tuple[str, str]:
    name = os.path.basename(getattr(file, "name", "") or "")[:255]
    extension = os.path.splitext(name)[1].lower()
    if file.size > SCAN_MAX_BYTES:
        raise ValidationError({"scanned_copy": _("扫描件不能超过20MB。")})
    kind = sniff(file, extension)
    if kind not in SCAN_KINDS:
        raise ValidationError({"scanned_copy": _("扫描件只接受PDF、PNG或JPEG文件。")})
    if extension not in kind.extensions:
        raise ValidationError(
            {
                "scanned_copy": _("文件扩展名与文件内容不符(内容是%(ext)s)。")
                % {"ext": kind.extensions[0]}
            }
        )
    return name, kind.extensions[0]


@transaction.atomic
def letter_sign(
    letter: ResponsibilityLetter, *, actor, signed_on, scanned_copy=None, reason: str = ""
) -> ResponsibilityLetter:
    """Issued → signed, with the signing date and (optionally) the scanned
    signed copy, whose type is read from its content (PDF, PNG, JPEG)."""
    ensure_can(actor, letter)
    letter = _lock(letter)
    if letter.status != LetterStatus.ISSUED:
        raise ValidationError(_("只有已下发的责任书可以登记签订。"))
    if not signed_on:
        raise ValidationError({"signed_on": _("请填写签订日期。")})
    if signed_on > timezone.localdate():
        raise ValidationError({"signed_on": _("签订日期不能晚于今天。")})
    if signed_on.year < letter.year - 1:
        raise ValidationError({"signed_on": _("签订日期与责任书年度不符。")})
    letter.signed_on = signed_on
    stored = None
    if scanned_copy is not None:
        original, extension = _check_scan(scanned_copy)
        field = letter.scanned_copy.field
        name = field.generate_filename(letter, f"{uuid.uuid4().hex}{extension}")
        stored = field.storage.save(name, scanned_copy)
        letter.scanned_copy.name = stored
        letter.scanned_name = original
    try:
        return audited_transition(letter, actor=actor, to_state=LetterStatus.SIGNED, reason=reason)
    except BaseException:
        if stored:
            field.storage.delete(stored)
        raise
