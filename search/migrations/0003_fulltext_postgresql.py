"""PostgreSQL's full-text tables as search.backends.postgres uses them (SQLite's are unchanged).

0002's PostgreSQL tables were never written to (the backend refused PostgreSQL until now), so they
are replaced rather than altered. Fill them with `manage.py rebuild_search_index`.
"""

from django.db import migrations

TABLES = [
    # One row per page: its tokens as tagged lexemes, one position per occurrence, and how many
    # tokens it has (BM25's document length).
    "CREATE TABLE search_fulltext (page_id bigint PRIMARY KEY, vector tsvector NOT NULL, length integer NOT NULL)",
    "CREATE TABLE search_fulltext_reply (page_id bigint PRIMARY KEY, vector tsvector NOT NULL, "
    "length integer NOT NULL)",
    # fastupdate off: a query never has to read through a list of pending entries, so its time does
    # not depend on how recently posts were published.
    "CREATE INDEX search_fulltext_vector ON search_fulltext USING gin (vector) WITH (fastupdate = off)",
    "CREATE INDEX search_fulltext_reply_vector ON search_fulltext_reply USING gin (vector) WITH (fastupdate = off)",
    # How many rows of each table hold each token (BM25's document frequency) ...
    "CREATE TABLE search_fulltext_term (source text NOT NULL, token text NOT NULL, documents integer NOT NULL, "
    "PRIMARY KEY (source, token))",
    # ... and how many rows and tokens each table has in all.
    "CREATE TABLE search_fulltext_stats (source text PRIMARY KEY, documents bigint NOT NULL, tokens bigint NOT NULL)",
    "INSERT INTO search_fulltext_stats (source, documents, tokens) VALUES ('question', 0, 0), ('reply', 0, 0)",
]
DROP = [
    "DROP TABLE IF EXISTS search_fulltext_stats",
    "DROP TABLE IF EXISTS search_fulltext_term",
    "DROP TABLE IF EXISTS search_fulltext_reply",
    "DROP TABLE IF EXISTS search_fulltext",
]
# 0002's shape, for migrating back.
OLD = [
    "CREATE TABLE search_fulltext (page_id bigint PRIMARY KEY, vector tsvector NOT NULL)",
    "CREATE INDEX search_fulltext_vector ON search_fulltext USING gin (vector)",
    "CREATE TABLE search_fulltext_reply (page_id bigint PRIMARY KEY, vector tsvector NOT NULL)",
    "CREATE INDEX search_fulltext_reply_vector ON search_fulltext_reply USING gin (vector)",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP + TABLES:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP + OLD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext")]

    operations = [migrations.RunPython(forwards, backwards)]
