"""Every model of the four domain apps has a factory, and every factory
builds a saved object that passes full_clean()."""

import pytest
from django.apps import apps

from tests import factories as f

DOMAIN_APPS = ("accountability", "projects", "inspections", "assessments")

ALL_FACTORIES = [
    pytest.param(factory, id=factory.__name__)
    for factories in f.FACTORIES_BY_MODEL.values()
    for factory in factories
]


def test_every_model_of_the_domain_apps_has_a_factory():
    models = {model for label in DOMAIN_APPS for model in apps.get_app_config(label).get_models()}
    missing = sorted(m._meta.label for m in models - set(f.FACTORIES_BY_MODEL))
    assert missing == []


@pytest.mark.parametrize("factory", ALL_FACTORIES)
def test_factory_builds_a_valid_saved_object(db, factory):
    obj = factory()
    assert obj.pk is not None
    assert isinstance(obj, factory._meta.model)
    obj.refresh_from_db()
    obj.full_clean()


@pytest.mark.parametrize("factory", ALL_FACTORIES)
def test_factory_builds_distinct_valid_objects_twice(db, factory):
    first, second = factory(), factory()
    assert first.pk != second.pk
    second.full_clean()


def test_factories_register_only_models_they_build():
    for model, factories in f.FACTORIES_BY_MODEL.items():
        for factory in factories:
            assert factory._meta.model is model


def test_each_split_kind_factory_builds_its_kind(db):
    from projects.choices import SplitKind

    assert f.InnerAssignmentFactory().kind == SplitKind.INNER
    assert f.OuterAssignmentFactory().kind == SplitKind.OUTER
    assert f.DownwardAssignmentFactory().kind == SplitKind.DOWNWARD


def test_m2m_hooks_set_related_units(db):
    a, b = f.UnitFactory(), f.UnitFactory()
    project = f.ProjectFactory(co_units=[a, b])
    assert set(project.co_units.all()) == {a, b}
    assert set(f.InspectionFactory(units=[a]).units.all()) == {a}
    assert set(f.NoticeFactory(units=[b]).units.all()) == {b}
    assert set(f.JointMeetingFactory(units=[a, b]).units.all()) == {a, b}
    assert set(f.PlanTaskFactory(co_units=[a]).co_units.all()) == {a}
