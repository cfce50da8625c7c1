import pytest

from accountability.api.views import UnitViewSet
from tests import factories as f
from tests.api.mixins import EndpointTests

pytestmark = pytest.mark.django_db


class TestUnits(EndpointTests):
    url = "/api/v1/units/"
    viewset = UnitViewSet

    def visible(self, tree):
        return tree["township_a"]

    def hidden(self, tree):
        return tree["county_b"]

    def grow(self, tree, n):
        for _ in range(n):
            f.TownshipFactory(parent=tree["county_a"])
