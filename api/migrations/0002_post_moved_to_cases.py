"""The post or unit it refers to moved to the cases app with its table: only Django's state changes."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_api_clients"),
        ("cases", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="apisubmission",
                    name="post",
                    field=models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="api_submission",
                        to="cases.post",
                        verbose_name="post",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
