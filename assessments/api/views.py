"""API endpoints of the assessments app: declarations on the base viewsets
of pingxiang_cf.api; every write is one call of an assessments.services
function (their PermissionDenied is 403, their ValidationError 400)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action

from assessments import services
from assessments.api import filters as af
from assessments.api import serializers as s
from assessments.filters import UnitAssessmentFilterSet
from assessments.models import AssessmentScheme, Indicator, OutcomeProposal, Score, UnitAssessment
from pingxiang_cf.api.viewsets import CreateMixin, DestroyMixin, ScopedViewSet, UpdateMixin


class _CommissionWrites:
    def may_create(self) -> bool:
        return services.is_commission(self.request.user)

    def may_change(self, obj) -> bool:
        return services.is_commission(self.request.user)


class SchemeViewSet(_CommissionWrites, ScopedViewSet, CreateMixin):
    """考核方案. Created as a draft, validated and opened, copied to a new year,
    published, all by the commission."""

    queryset = AssessmentScheme.objects.all()
    serializer_class = s.SchemeSerializer
    write_serializer_class = s.SchemeWriteSerializer
    filterset_class = af.SchemeFilterSet
    http_method_names = ["get", "post", "head", "options"]

    def create_service(self, data, actor):
        return services.scheme_create(actor=actor, **data)

    @extend_schema(request=None, responses=s.SchemeSerializer)
    @action(detail=True, methods=["post"])
    def open(self, request, pk=None):
        """校验方案(各组别分值合计100分)并启动年度考核。"""

        def step(obj, actor):
            services.assessment_year_open(scheme=obj, actor=actor)
            return AssessmentScheme.objects.get(pk=obj.pk)

        return self.run_step(step)

    @extend_schema(request=s.CopySerializer, responses=s.SchemeSerializer)
    @action(detail=True, methods=["post"])
    def copy(self, request, pk=None):
        """复制为新年度的考核方案(草稿)。"""
        return self.run_step(
            lambda obj, actor, year: services.scheme_copy(scheme=obj, year=year, actor=actor),
            serializer_class=s.CopySerializer,
        )

    @extend_schema(request=None, responses=s.SchemeSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """公布考核结果(全部单位须已审核)。"""

        def step(obj, actor):
            services.scheme_publish(scheme=obj, actor=actor)
            return AssessmentScheme.objects.get(pk=obj.pk)

        return self.run_step(step)


class IndicatorViewSet(_CommissionWrites, ScopedViewSet, CreateMixin, UpdateMixin, DestroyMixin):
    """考核指标. Changed only while the scheme is a draft."""

    queryset = Indicator.objects.all()
    serializer_class = s.IndicatorSerializer
    write_serializer_class = s.IndicatorWriteSerializer
    filterset_class = af.IndicatorFilterSet

    def create_service(self, data, actor):
        scheme = data.pop("scheme")
        return services.indicator_create(scheme=scheme, actor=actor, **data)

    def update_service(self, obj, data, actor):
        data.pop("scheme", None)
        return services.indicator_update(indicator=obj, actor=actor, **data)

    def delete_service(self, obj, actor):
        services.indicator_delete(indicator=obj, actor=actor)


class AssessmentViewSet(ScopedViewSet):
    """单位年度考核: totals, grade, rank within the group, change from last year.
    Steps: manual scoring and review by the commission, reopening with a reason."""

    queryset = UnitAssessment.objects.all()
    serializer_class = s.AssessmentSerializer
    filterset_class = UnitAssessmentFilterSet

    @extend_schema(request=s.ManualScoreSerializer, responses=s.AssessmentSerializer)
    @action(detail=True, methods=["post"])
    def score(self, request, pk=None):
        """人工评分:得分与逐项扣分(理由、依据)。"""

        def step(obj, actor, indicator, points, vetoed, lines):
            services.score_manual(
                assessment=obj,
                indicator=get_object_or_404(Indicator, pk=indicator, scheme_id=obj.scheme_id),
                points=points,
                vetoed=vetoed,
                lines=[dict(line) for line in lines],
                actor=actor,
            )
            return obj

        return self.run_step(step, serializer_class=s.ManualScoreSerializer)

    @extend_schema(request=s.ReviewSerializer, responses=s.AssessmentSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        """审核(三者同步):党风廉政建设责任制得分和领导干部年度考核等次。"""

        def step(obj, actor, leader_grades, **data):
            grades = {k: {"cadre_grade": v} for k, v in leader_grades.items()}
            return services.assessment_review(
                assessment=obj, actor=actor, leader_grades=grades, **data
            )

        return self.run_step(step, serializer_class=s.ReviewSerializer)

    @extend_schema(request=s.ReasonSerializer, responses=s.AssessmentSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """重新打开已公布的考核(须说明理由)。"""
        return self.run_step(
            lambda obj, actor, reason: services.assessment_reopen(
                assessment=obj, actor=actor, reason=reason
            ),
            serializer_class=s.ReasonSerializer,
        )


class ScoreViewSet(ScopedViewSet):
    """指标得分 with the inputs of its rule (read only; written by the steps)."""

    queryset = Score.objects.all()
    serializer_class = s.ScoreSerializer
    filterset_class = af.ScoreFilterSet


class OutcomeViewSet(_CommissionWrites, ScopedViewSet, CreateMixin):
    """表彰和责任追究建议: proposed by the commission, approved into the register."""

    queryset = OutcomeProposal.objects.all()
    serializer_class = s.ProposalSerializer
    write_serializer_class = s.ProposalWriteSerializer
    filterset_class = af.ProposalFilterSet
    http_method_names = ["get", "post", "head", "options"]

    def create_service(self, data, actor):
        scheme, kind = data.pop("scheme"), data.pop("kind")
        return services.proposal_create(scheme=scheme, kind=kind, actor=actor, **data)

    @extend_schema(request=s.ApproveSerializer, responses=s.ProposalSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """批准:写入表彰或责任追究登记。"""
        return self.run_step(
            lambda obj, actor, **d: services.proposal_approve(proposal=obj, actor=actor, **d),
            serializer_class=s.ApproveSerializer,
        )

    @extend_schema(request=s.ReasonSerializer, responses=s.ProposalSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """不予批准(须说明理由)。"""
        return self.run_step(
            lambda obj, actor, reason: services.proposal_reject(
                proposal=obj, actor=actor, reason=reason
            ),
            serializer_class=s.ReasonSerializer,
        )
