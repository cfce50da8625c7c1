"""Activity cells by tier, program and mechanism (the rows are dropped here;
the next refresh rebuilds everything, or run `manage.py
refresh_dashboard_rollups --full`), and the per-node dashboard snapshots."""

import datetime

import django.db.models.deletion
from django.db import migrations, models


def forget_activity(apps, schema_editor):
    apps.get_model("dashboards", "ActivityCell").objects.all().delete()
    # The next refresh rebuilds everything: it does when the lights were
    # judged on another day than today.
    stale = datetime.date(2000, 1, 1)
    apps.get_model("dashboards", "RollupState").objects.exclude(lights_on=None).update(
        lights_on=stale
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accountability", "0002_initial"),
        ("dashboards", "0002_lagging_partial_indexes"),
        ("projects", "0002_alter_assignmentshare_share_percent_0_100_and_more"),
    ]

    operations = [
        migrations.RunPython(forget_activity, migrations.RunPython.noop),
        migrations.AddField(
            model_name="activitycell",
            name="tier",
            field=models.ForeignKey(
                default=0,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="projects.tier",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="activitycell",
            name="program",
            field=models.ForeignKey(
                default=0,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="projects.program",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="activitycell",
            name="mechanism",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="projects.mechanism",
            ),
        ),
        migrations.CreateModel(
            name="DashboardSnapshot",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("year", models.PositiveSmallIntegerField(verbose_name="年度")),
                ("payload", models.JSONField()),
                ("built_at", models.DateTimeField(verbose_name="生成时间")),
                (
                    "node",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="accountability.unit",
                    ),
                ),
            ],
            options={
                "verbose_name": "看板快照",
                "verbose_name_plural": "看板快照",
                "constraints": [
                    models.UniqueConstraint(fields=("node", "year"), name="dash_snapshot_node_year")
                ],
            },
        ),
    ]
