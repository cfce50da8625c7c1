from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from dashboards.api.serializers import SummarySerializer
from dashboards.selectors import headline_summary


class SummaryView(APIView):
    """GET /api/v1/summary/: the headline figures within the user's scope."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=SummarySerializer, summary="惩防体系建设主要数据")
    def get(self, request):
        return Response(headline_summary(request.user))
