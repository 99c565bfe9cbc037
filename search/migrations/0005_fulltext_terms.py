"""How many questions hold each token of the SQLite question index, kept by the embedded backend on
every write (as PostgreSQL's search_fulltext_term is, see 0003). FTS5's vocabulary table counts a
token by reading its whole list of questions: tens of milliseconds a query on a big wall."""

from django.db import migrations

CREATE = "CREATE TABLE search_fulltext_term (token text PRIMARY KEY, documents integer NOT NULL) WITHOUT ROWID"
FILL = "INSERT INTO search_fulltext_term (token, documents) SELECT term, doc FROM search_fulltext_vocab"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(CREATE)
        schema_editor.execute(FILL)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS search_fulltext_term")


class Migration(migrations.Migration):
    dependencies = [("search", "0004_fulltext_vocabulary")]

    operations = [migrations.RunPython(create, drop)]
