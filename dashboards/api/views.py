from rest_framework.response import Response
from rest_framework.views import APIView

from dashboards.selectors import headline_summary


class SummaryView(APIView):
    """GET /api/v1/summary/: the headline figures within the user's scope."""

    def get(self, request):
        return Response(headline_summary(request.user))
