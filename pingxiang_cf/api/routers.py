"""The API router: kebab-case plural paths, trailing slash, no root view per
app (each app's `api/urls.py` has its own router; pingxiang_cf/api_urls.py
includes them all under /api/v1/)."""

from rest_framework.routers import DefaultRouter


class ApiRouter(DefaultRouter):
    include_root_view = False
    include_format_suffixes = False
