"""factory-boy factories for every model. Units get their tree path through
the same service the application uses."""

import factory
from django.contrib.auth import get_user_model

from accountability import choices as acc
from accountability.models import Membership, Section, Unit
from accountability.services import unit_create
from pingxiang_cf.roles import Role

PASSWORD = "Test-pass-1335"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)
    is_staff = True

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class UnitFactory(factory.django.DjangoModelFactory):
    """Creates through accountability.services.unit_create so `path` is right."""

    class Meta:
        model = Unit

    code = factory.Sequence(lambda n: f"U{n:05d}")
    name = factory.Sequence(lambda n: f"测试单位{n}")
    tier = acc.UnitTier.DEPARTMENT
    kind = acc.UnitKind.MUNICIPAL_DEPT
    parent = factory.LazyFunction(lambda: city_unit())

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return unit_create(actor=None, **kwargs)


def city_unit() -> Unit:
    """The root of the tree, created once per test database."""
    existing = Unit.objects.filter(parent__isnull=True).first()
    if existing:
        return existing
    return unit_create(
        actor=None,
        code="CITY",
        name="萍乡市",
        tier=acc.UnitTier.CITY,
        kind=acc.UnitKind.CITY,
        parent=None,
    )


class CountyFactory(UnitFactory):
    name = factory.Sequence(lambda n: f"测试县{n}")
    tier = acc.UnitTier.COUNTY
    kind = acc.UnitKind.COUNTY


class TownshipFactory(UnitFactory):
    name = factory.Sequence(lambda n: f"测试镇{n}")
    tier = acc.UnitTier.GRASSROOTS
    kind = acc.UnitKind.TOWNSHIP
    parent = factory.SubFactory(CountyFactory)


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    unit = factory.SubFactory(UnitFactory)
    name = factory.Sequence(lambda n: f"科室{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(UnitFactory)
    role = Role.LEAD_UNIT
