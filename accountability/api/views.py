from accountability.api.filters import UnitFilterSet
from accountability.api.serializers import UnitSerializer
from accountability.models import Unit
from pingxiang_cf.api.viewsets import ScopedViewSet


class UnitViewSet(ScopedViewSet):
    """单位 (the unit tree in the caller's scope), read only."""

    queryset = Unit.objects.all()
    serializer_class = UnitSerializer
    filterset_class = UnitFilterSet
