"""The shape of the headline summary, for the API schema."""

from rest_framework import serializers


class PlanTaskFiguresSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    completed = serializers.IntegerField()
    completion_rate = serializers.CharField(help_text="百分比,两位小数,如 92.04")


class ProjectFiguresSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    common = serializers.IntegerField()
    individual = serializers.IntegerField()
    extension = serializers.IntegerField()


class UnitFiguresSerializer(serializers.Serializer):
    county = serializers.IntegerField()
    department = serializers.IntegerField()
    township = serializers.IntegerField()


class ServicePointFiguresSerializer(serializers.Serializer):
    county_centres = serializers.IntegerField()
    township_centres = serializers.IntegerField()
    village_points = serializers.IntegerField()


class InspectionFiguresSerializer(serializers.Serializer):
    routine = serializers.IntegerField()
    concentrated = serializers.IntegerField()
    units_notified = serializers.IntegerField()


class OutcomeFiguresSerializer(serializers.Serializer):
    units = serializers.IntegerField()
    leaders = serializers.IntegerField()


class SummarySerializer(serializers.Serializer):
    plan_tasks = PlanTaskFiguresSerializer()
    projects = ProjectFiguresSerializer()
    units = UnitFiguresSerializer()
    service_points = ServicePointFiguresSerializer()
    inspections = InspectionFiguresSerializer()
    commendations = OutcomeFiguresSerializer()
    accountability = OutcomeFiguresSerializer()
    leading_groups = serializers.IntegerField()
    responsibility_letters = serializers.IntegerField(help_text="已签订的责任书份数")
