"""The statistics models moved to the stats app: their tables stay as they are (see stats/0001)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("wall", "0012_answer_reused_wording"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="dailyfigures",
                    name="unit",
                ),
                migrations.RemoveField(
                    model_name="monthlywaits",
                    name="unit",
                ),
                migrations.DeleteModel(
                    name="StaleDay",
                ),
                migrations.DeleteModel(
                    name="StatisticsSettings",
                ),
                migrations.DeleteModel(
                    name="DailyFigures",
                ),
                migrations.DeleteModel(
                    name="MonthlyWaits",
                ),
            ],
            database_operations=[],
        ),
    ]
