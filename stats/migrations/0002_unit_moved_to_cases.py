"""The post or unit it refers to moved to the cases app with its table: only Django's state changes."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_initial"),
        ("stats", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="dailyfigures",
                    name="unit",
                    field=models.ForeignKey(
                        null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="cases.unit"
                    ),
                ),
                migrations.AlterField(
                    model_name="monthlywaits",
                    name="unit",
                    field=models.ForeignKey(
                        null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="cases.unit"
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
