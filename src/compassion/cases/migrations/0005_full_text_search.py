"""Full-text search over cases and their messages.

SQLite: an FTS5 table over cases_casetext kept in step by triggers.
PostgreSQL: a GIN index on the English text-search vector of the same column.
"""

from django.db import migrations

SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE cases_casetext_fts USING fts5(body, content='cases_casetext', "
    "content_rowid='case_id', tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER cases_casetext_ai AFTER INSERT ON cases_casetext BEGIN "
    "INSERT INTO cases_casetext_fts(rowid, body) VALUES (new.case_id, new.body); END",
    "CREATE TRIGGER cases_casetext_ad AFTER DELETE ON cases_casetext BEGIN "
    "INSERT INTO cases_casetext_fts(cases_casetext_fts, rowid, body) "
    "VALUES ('delete', old.case_id, old.body); END",
    "CREATE TRIGGER cases_casetext_au AFTER UPDATE ON cases_casetext BEGIN "
    "INSERT INTO cases_casetext_fts(cases_casetext_fts, rowid, body) "
    "VALUES ('delete', old.case_id, old.body); "
    "INSERT INTO cases_casetext_fts(rowid, body) VALUES (new.case_id, new.body); END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS cases_casetext_ai",
    "DROP TRIGGER IF EXISTS cases_casetext_ad",
    "DROP TRIGGER IF EXISTS cases_casetext_au",
    "DROP TABLE IF EXISTS cases_casetext_fts",
]
POSTGRES_CREATE = [
    "CREATE INDEX cases_casetext_fts ON cases_casetext "
    "USING gin (to_tsvector('english', body))",
]
POSTGRES_DROP = ["DROP INDEX IF EXISTS cases_casetext_fts"]


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0004_case_assigned_at_case_explored_case_paused_days_and_more"),
    ]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}),
            run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        ),
    ]
