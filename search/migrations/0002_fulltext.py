"""The full-text tables beside search_indexedpage, in the database's own dialect (see search.backends.embedded)."""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE search_fulltext USING fts5(title_words, title_chars, title_bigrams, "
    "body_words, body_chars, body_bigrams, tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE search_fulltext_reply USING fts5(words, chars, bigrams, "
    "tokenize = 'unicode61 remove_diacritics 2')",
]
POSTGRESQL = [
    "CREATE TABLE search_fulltext (page_id bigint PRIMARY KEY, vector tsvector NOT NULL)",
    "CREATE INDEX search_fulltext_vector ON search_fulltext USING gin (vector)",
    "CREATE TABLE search_fulltext_reply (page_id bigint PRIMARY KEY, vector tsvector NOT NULL)",
    "CREATE INDEX search_fulltext_reply_vector ON search_fulltext_reply USING gin (vector)",
]
DROP = ["DROP TABLE IF EXISTS search_fulltext_reply", "DROP TABLE IF EXISTS search_fulltext"]


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise RuntimeError(f"The embedded search backend supports SQLite and PostgreSQL, not {vendor}.")
    for statement in SQLITE if vendor == "sqlite" else POSTGRESQL:
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    for statement in DROP:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
