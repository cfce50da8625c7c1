"""The unit tree (city → counties and departments → townships → service
points), the sections of counties and departments, and their officials."""

from accountability.choices import OfficialRank, UnitKind, UnitTier
from accountability.models import Official, Section, Unit
from demo import data
from demo.context import DemoContext

SUBORDINATE_KINDS = {"school": UnitKind.SCHOOL, "enterprise": UnitKind.ENTERPRISE}


def build_units(ctx: DemoContext) -> None:
    ctx.root = _insert_level(
        [
            Unit(
                code=data.ROOT_CODE,
                name=data.ROOT_NAME,
                tier=UnitTier.CITY,
                kind=UnitKind.CITY,
            )
        ]
    )[0]
    ctx.counties = _insert_level(_county_units(ctx))
    ctx.departments = _insert_level(_department_units(ctx))
    for unit in [*ctx.counties, *ctx.departments]:
        ctx.units_by_name[unit.name] = unit
    ctx.commission_office = ctx.units_by_name[data.COMMISSION_OFFICE]

    ctx.townships = _insert_level(_township_units(ctx))
    for township in ctx.townships:
        ctx.townships_by_county[township.parent_id].append(township)
        ctx.subordinates[township.parent_id].append(township)
        ctx.units_by_name[township.name] = township
    _insert_level(_county_centres(ctx))
    for unit in _insert_level(_department_subordinates(ctx)):
        ctx.subordinates[unit.parent_id].append(unit)
    _insert_level(_township_centres(ctx) + _village_points(ctx) + _communities(ctx))


def _insert_level(units: list[Unit]) -> list[Unit]:
    """Insert units whose parents already have their path, then give them theirs
    (the same rule as accountability.services.unit_create: parent path + pk)."""
    Unit.objects.bulk_create(units)
    for unit in units:
        parent_path = unit.parent.path if unit.parent_id else "/"
        unit.path = f"{parent_path}{unit.pk}/"
        unit.depth = unit.path.count("/") - 2
    Unit.objects.bulk_update(units, ["path", "depth"])
    return units


def _county_units(ctx):
    return [
        Unit(
            code=code,
            name=name,
            short_name=name[:-1],
            tier=UnitTier.COUNTY,
            kind=UnitKind.COUNTY,
            parent=ctx.root,
            sort_order=index,
        )
        for index, (code, name, *_rest) in enumerate(data.COUNTIES, start=1)
    ]


def _department_units(ctx):
    rows = [(name, UnitKind.MUNICIPAL_DEPT) for name in data.MUNICIPAL_DEPTS]
    rows += [(name, UnitKind.PROVINCIAL_DEPT) for name in data.PROVINCIAL_DEPTS]
    return [
        Unit(
            code=f"{data.ROOT_CODE}-D{index:03d}",
            name=name,
            tier=UnitTier.DEPARTMENT,
            kind=kind,
            parent=ctx.root,
            sort_order=100 + index,
        )
        for index, (name, kind) in enumerate(rows, start=1)
    ]


def _township_code(county_code: str, name: str, counters: dict) -> str:
    """Street offices number from 001, towns from 101, townships from 201."""
    group = 0 if name.endswith("街道") else 1 if name.endswith("镇") else 2
    counters[group] = counters.get(group, 0) + 1
    return f"{county_code}{group * 100 + counters[group]:03d}"


def _township_units(ctx):
    units = []
    for county in ctx.counties:
        counters: dict = {}
        for index, name in enumerate(data.TOWNSHIPS[county.code], start=1):
            units.append(
                Unit(
                    code=_township_code(county.code, name, counters),
                    name=name,
                    tier=UnitTier.GRASSROOTS,
                    kind=UnitKind.TOWNSHIP,
                    parent=county,
                    sort_order=index,
                )
            )
    return units


def _county_centres(ctx):
    units = [
        Unit(
            code=f"{county.code}-ZW",
            name=f"{county.name}政务服务中心",
            tier=UnitTier.COUNTY,
            kind=UnitKind.COUNTY_SERVICE_CENTRE,
            parent=county,
            sort_order=900,
        )
        for county in ctx.counties
    ]
    county_code, name = data.EXTRA_CENTRE
    units.append(
        Unit(
            code=f"{county_code}-GWH",
            name=name,
            tier=UnitTier.GRASSROOTS,
            kind=UnitKind.TOWNSHIP_SERVICE_CENTRE,
            parent=next(c for c in ctx.counties if c.code == county_code),
            sort_order=901,
        )
    )
    return units


def _department_subordinates(ctx):
    units = []
    for dept_name, rows in data.SUBORDINATES.items():
        dept = ctx.units_by_name[dept_name]
        for index, (kind, name) in enumerate(rows, start=1):
            units.append(
                Unit(
                    code=f"{dept.code}-S{index:02d}",
                    name=name,
                    tier=UnitTier.GRASSROOTS,
                    kind=SUBORDINATE_KINDS[kind],
                    parent=dept,
                    sort_order=index,
                )
            )
    return units


def _township_centres(ctx):
    return [
        Unit(
            code=f"{township.code}-BM",
            name=f"{township.name}便民服务中心(公共资源交易站)",
            tier=UnitTier.GRASSROOTS,
            kind=UnitKind.TOWNSHIP_SERVICE_CENTRE,
            parent=township,
            sort_order=900,
        )
        for township in ctx.townships
    ]


def _village_counts(ctx) -> list[int]:
    """Spread the 625 agent points over the townships (13–16 each)."""
    count = len(ctx.townships)
    per = [data.VILLAGE_POINTS_TOTAL // count] * count
    for _ in range(data.VILLAGE_POINTS_TOTAL - sum(per)):
        per[ctx.rng.randrange(count)] += 1
    return per


def _village_names(ctx, count: int) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        first = ctx.rng.choice(data.VILLAGE_FIRST)
        second = ctx.rng.choice(data.VILLAGE_SECOND)
        name = first + second
        if first != second and name not in seen:
            seen.add(name)
            names.append(name)
    return names


def _village_points(ctx):
    counts = _village_counts(ctx)
    names = iter(_village_names(ctx, sum(counts)))
    units = []
    for township, count in zip(ctx.townships, counts, strict=True):
        for index in range(1, count + 1):
            village = next(names)
            units.append(
                Unit(
                    code=f"{township.code}{200 + index:03d}",
                    name=f"{village}村代办点",
                    short_name=f"{village}村",
                    tier=UnitTier.GRASSROOTS,
                    kind=UnitKind.VILLAGE_AGENT_POINT,
                    parent=township,
                    sort_order=index,
                )
            )
    return units


def _communities(ctx):
    units = []
    for township_name, names in data.COMMUNITIES.items():
        township = ctx.units_by_name[township_name]
        for index, name in enumerate(names, start=1):
            units.append(
                Unit(
                    code=f"{township.code}{index:03d}",
                    name=name,
                    tier=UnitTier.GRASSROOTS,
                    kind=UnitKind.COMMUNITY,
                    parent=township,
                    sort_order=index,
                )
            )
    return units


# --- Sections -------------------------------------------------------------------------


def build_sections(ctx: DemoContext) -> None:
    sections = []
    for county in ctx.counties:
        count = ctx.rng.randint(4, len(data.COUNTY_SECTIONS))
        sections += _sections_for(county, data.COUNTY_SECTIONS[:count])
    for dept in ctx.departments:
        names = data.DEPT_SECTIONS.get(dept.name)
        if names is None:
            picked = ctx.rng.sample(data.GENERIC_SECTIONS, ctx.rng.randint(2, 5))
            names = ("办公室", *picked)
        sections += _sections_for(dept, names)
    Section.objects.bulk_create(sections)
    for section in sections:
        ctx.sections[section.unit_id].append(section)


def _sections_for(unit, names):
    return [
        Section(unit=unit, name=name, sort_order=index) for index, name in enumerate(names, start=1)
    ]


# --- Officials --------------------------------------------------------------------------


class NamePool:
    """Fictitious, unique personal names from common syllables."""

    def __init__(self, rng):
        self.rng = rng
        self.used = {data.SECRETARY_NAME}
        self.surnames = "".join(dict.fromkeys(data.SURNAMES))

    def next(self) -> str:
        while True:
            if self.rng.random() < 0.75:
                given = self.rng.choice(data.GIVEN_FIRST) + self.rng.choice(data.GIVEN_SECOND)
            else:
                given = self.rng.choice(data.GIVEN_SINGLE)
            name = self.rng.choice(self.surnames) + given
            if name not in self.used:
                self.used.add(name)
                return name


def head_post(unit_name: str) -> str:
    for ending, post in data.HEAD_POSTS:
        if unit_name.endswith(ending):
            return post
    return "主要负责人"


def chief_post(section_name: str) -> str:
    if section_name.endswith("科"):
        return "科长"
    if section_name.endswith("支队"):
        return "支队长"
    return "主任"


def build_officials(ctx: DemoContext) -> None:
    names = NamePool(ctx.rng)
    rows: list[tuple[str, Official]] = []  # (role in ctx, official)

    def add(role, unit, post, rank, section=None, name=None):
        official = Official(
            code=ctx.uuid(),
            name=name or names.next(),
            unit=unit,
            section=section,
            post=post,
            rank=rank,
            phone=f"0799-{ctx.rng.randrange(6100000, 6999999)}",
        )
        rows.append((role, official))
        return official

    add("head", ctx.root, "市委书记", OfficialRank.PROVINCIAL)
    add("city", ctx.root, "市长", OfficialRank.PROVINCIAL)
    for county in ctx.counties:
        level = county.name[-1]  # 区 or 县
        add("head", county, f"{level}委书记", OfficialRank.COUNTY)
        add("city", county, f"{level}长", OfficialRank.COUNTY)
        add("deputy", county, f"{level}纪委书记", OfficialRank.COUNTY)
    for dept in ctx.departments:
        if dept == ctx.commission_office:
            add(
                "head", dept, data.SECRETARY_POST, OfficialRank.PROVINCIAL, name=data.SECRETARY_NAME
            )
            add("deputy", dept, "市纪委副书记", OfficialRank.COUNTY)
        else:
            add("head", dept, head_post(dept.name), OfficialRank.COUNTY)
            add("deputy", dept, "纪检组长", OfficialRank.COUNTY)
    for township in ctx.townships:
        street = township.name.endswith("街道")
        add("head", township, "党工委书记" if street else "党委书记", OfficialRank.SECTION)
        add("deputy", township, "纪工委书记" if street else "纪委书记", OfficialRank.SECTION)
    for units in ctx.subordinates.values():
        for unit in units:
            if unit.kind != UnitKind.TOWNSHIP:
                post = "校长" if unit.kind == UnitKind.SCHOOL else "总经理"
                add("head", unit, post, OfficialRank.SECTION)
    for unit_sections in ctx.sections.values():
        for section in unit_sections:
            if section.name in ("惩防办", "办公室") or ctx.chance(0.55):
                add("chief", section.unit, chief_post(section.name), OfficialRank.SECTION, section)

    Official.objects.bulk_create([official for _role, official in rows])
    _index_officials(ctx, rows)


def _index_officials(ctx, rows) -> None:
    for role, official in rows:
        if role == "head":
            ctx.heads[official.unit_id] = official
        elif role == "deputy":
            ctx.deputies[official.unit_id] = official
        elif role == "chief":
            ctx.chiefs[official.section_id] = official
        else:
            ctx.city_officials.append(official)
    ctx.secretary = ctx.heads[ctx.commission_office.pk]
