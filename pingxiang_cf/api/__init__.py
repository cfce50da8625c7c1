"""The REST API's shared machinery (/api/v1/). How an app adds endpoints:

1. FilterSet in `<app>/filters.py`, on `pingxiang_cf.api.filters.BaseFilterSet`:
   `search_fields` for `q`, `o = ordering_filter({...})`, `default_ordering`
   (columns: `project_id`, not `project`). The HTML list and the exports use
   the same class.

2. `<app>/api/serializers.py`: a *read* serializer (a ModelSerializer with
   read-only fields; foreign keys as `RefSerializer(read_only=True)` →
   `{"id", "name"}` or `IntegerField(source="x_id")`; many-to-many as
   `PrimaryKeyRelatedField(many=True, read_only=True)`; no method fields).
   The base viewset builds list and detail rows from it with `.values()`
   (pingxiang_cf.api.rows), so a list is a fixed number of queries. A *write*
   serializer only validates input; relations with
   `ScopedPrimaryKeyRelatedField(queryset=Model.objects.all())` (the user's
   scope only).

3. `<app>/api/views.py`: declarations on `pingxiang_cf.api.viewsets`:

       class FindingViewSet(ScopedViewSet, CreateMixin, UpdateMixin):
           queryset = Finding.objects.all()          # restrict(user, "view") is applied
           serializer_class = FindingSerializer      # read + schema
           write_serializer_class = FindingWriteSerializer
           filterset_class = FindingFilterSet
           pagination_class = KeysetPagination       # big tables only (default: pages)
           concurrency = True                        # ETag / If-Match (412 when stale)

           def may_create(self):  ...                # 403 before validation (optional)
           def may_change(self, obj):  ...           # default: can(user, obj, "change")
           def create_service(self, data, actor):
               return services.finding_create(actor=actor, **data)
           def update_service(self, obj, data, actor):
               return services.finding_update(obj, actor=actor, **data)

           @extend_schema(request=ReasonSerializer, responses=FindingSerializer)
           @action(detail=True, methods=["post"])
           def rectify(self, request, pk=None):      # one workflow step = one service
               return self.run_step(services.finding_rectify, serializer_class=ReasonSerializer)

   Out of scope → 404 (not in the restricted queryset); read-only or not
   allowed → 403 (`may_*` or the service's PermissionDenied); the service's
   ValidationError → 400 with its Chinese messages. Limit `http_method_names`
   to what the endpoint supports.

4. `<app>/api/urls.py`: `router = ApiRouter(); router.register("findings",
   FindingViewSet, basename="finding"); urlpatterns = router.urls` — kebab-case
   plural paths — and one line in pingxiang_cf/api_urls.py:
   `path("", include("<app>.api.urls"))`.

5. Tests in `tests/api/` (or `tests/<app>/test_api.py`): subclass
   `tests.api.mixins.EndpointTests` (anonymous 401 / no role / out of scope
   404 / allowed / rows equal the serializer / constant query count) and
   `WriteEndpointTests` (leader 403 on POST, anonymous 401, out of scope 404).

Authentication: session (browser) or `Authorization: Bearer pxcf_…` (a
personal token, pingxiang_cf.tokens; `POST /api/v1/auth/token/` or the
tokens page). A token acts with its user's scope.
"""
