"""The "1335" framework (seeded data), the county brand models, the plan and
its 113 tasks."""

from datetime import date

from demo import data
from demo.context import DemoContext, cap
from projects.choices import PlanTaskStatus
from projects.models import BrandModel, Framework, Mechanism, Plan, PlanTask, Program, Tier


def build_framework(ctx: DemoContext) -> Framework:
    framework = Framework.objects.create(**data.FRAMEWORK)
    ctx.tiers = _elements(Tier, framework, data.TIERS)
    ctx.programs = _elements(Program, framework, data.PROGRAMS)
    mechanisms = [
        Mechanism(framework=framework, code=code, name=name, goal=goal, sort_order=index)
        for index, (code, name, goal) in enumerate(data.MECHANISMS, start=1)
    ]
    Mechanism.objects.bulk_create(mechanisms)
    ctx.mechanisms = {m.code: m for m in mechanisms}
    brands = []
    for county, (_code, _name, _prefix, brand, text) in zip(
        ctx.counties, data.COUNTIES, strict=True
    ):
        brands.append(
            BrandModel(unit=county, program=ctx.programs["featured"], name=brand, description=text)
        )
    BrandModel.objects.bulk_create(brands)
    ctx.brands = {b.unit_id: b for b in brands}
    return framework


def _elements(model, framework, rows) -> dict:
    objects = [
        model(framework=framework, code=code, name=name, description=text, sort_order=index)
        for index, (code, name, text) in enumerate(rows, start=1)
    ]
    model.objects.bulk_create(objects)
    return {o.code: o for o in objects}


def build_plan(ctx: DemoContext, framework: Framework) -> list[PlanTask]:
    plan = Plan.objects.create(framework=framework, **data.PLAN)
    statuses = _task_statuses(ctx)
    tasks, numbers = [], {}
    for index, (mechanism, program, lead_name, content) in enumerate(data.PLAN_TASKS):
        part = list(ctx.mechanisms).index(mechanism) + 1
        numbers[part] = numbers.get(part, 0) + 1
        status = statuses[index]
        deadline = _task_deadline(ctx, status)
        tasks.append(
            PlanTask(
                plan=plan,
                number=f"{part}.{numbers[part]:02d}",
                content=content,
                lead_unit=ctx.units_by_name[lead_name],
                mechanism=ctx.mechanisms[mechanism],
                program=ctx.programs.get(program),
                deadline=deadline,
                status=status,
                completed_on=_completed_on(ctx, deadline) if status == "completed" else None,
            )
        )
    PlanTask.objects.bulk_create(tasks)
    _task_co_units(ctx, tasks)
    return tasks


def _task_statuses(ctx) -> list[str]:
    total = len(data.PLAN_TASKS)
    open_indices = ctx.rng.sample(range(total), total - data.PLAN_TASKS_COMPLETED)
    statuses = [PlanTaskStatus.COMPLETED] * total
    for position, index in enumerate(sorted(open_indices)):
        in_progress = position < data.PLAN_TASKS_IN_PROGRESS
        statuses[index] = PlanTaskStatus.IN_PROGRESS if in_progress else PlanTaskStatus.PENDING
    return statuses


def _task_deadline(ctx, status) -> date:
    if status == PlanTaskStatus.COMPLETED:
        return date(ctx.rng.choice((2009, 2010, 2010, 2011)), 12, 31)
    return date(ctx.rng.choice((2011, 2012)), 12, 31)


def _completed_on(ctx, deadline: date) -> date:
    start = max(date(deadline.year - 1, 3, 1), data.PLAN["issued_on"])
    return ctx.between(start, cap(deadline))


def _task_co_units(ctx, tasks) -> None:
    through = PlanTask.co_units.through
    county_programs = {ctx.programs["grassroots"].pk, ctx.programs["featured"].pk}
    links = []
    for task in tasks:
        others = [d for d in ctx.departments if d.pk != task.lead_unit_id]
        units = ctx.rng.sample(others, ctx.rng.randint(1, 3))
        if task.program_id in county_programs:
            units += ctx.counties  # grassroots and featured work is done in the counties
        links += [through(plantask_id=task.pk, unit_id=unit.pk) for unit in units]
    through.objects.bulk_create(links)
