"""Token statistics of the SQLite question index, read by the embedded backend to rank similar
questions: how many questions hold each token, and how many tokens each column holds in all.
(PostgreSQL keeps its own in search_fulltext_term and search_fulltext_stats, see 0003.)"""

from django.db import migrations

TABLES = {
    "search_fulltext_vocab": "CREATE VIRTUAL TABLE search_fulltext_vocab USING fts5vocab(search_fulltext, 'row')",
    "search_fulltext_vocab_col": "CREATE VIRTUAL TABLE search_fulltext_vocab_col USING fts5vocab(search_fulltext, 'col')",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in TABLES.values():
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for table in TABLES:
            schema_editor.execute(f"DROP TABLE IF EXISTS {table}")


class Migration(migrations.Migration):
    dependencies = [("search", "0003_fulltext_postgresql")]

    operations = [migrations.RunPython(create, drop)]
