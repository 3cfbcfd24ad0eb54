"""The agent and activity index rows are indexed by a 64-bit key of their text (lrs.indexkey).

Adds `ifi_key` and `iri_key`, computes them for the rows already stored (in chunks, one
UPDATE per row through executemany), then swaps the (text, related_only, seq) indexes for
(key, related_only, seq) ones.
"""

from django.db import migrations, models

from lifelong.lrs.indexkey import index_key

CHUNK = 20_000


def _fill(table: str, column: str):
    def fill(apps, schema_editor):
        connection = schema_editor.connection
        qn = connection.ops.quote_name
        last = 0
        while True:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT id, {qn(column)} FROM {qn(table)} WHERE id > %s ORDER BY id LIMIT %s",  # noqa: S608
                    [last, CHUNK],
                )
                rows = cursor.fetchall()
                if not rows:
                    return
                cursor.executemany(
                    f"UPDATE {qn(table)} SET {qn(column + '_key')} = %s WHERE id = %s",  # noqa: S608
                    [(index_key(text), pk) for pk, text in rows],
                )
            last = rows[-1][0]

    return fill


class Migration(migrations.Migration):

    dependencies = [
        ("lrs", "0006_postgres_parallel_writers"),
    ]

    operations = [
        migrations.AddField(
            model_name="statementagent",
            name="ifi_key",
            field=models.BigIntegerField(default=0),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="statementactivity",
            name="iri_key",
            field=models.BigIntegerField(default=0),
            preserve_default=False,
        ),
        migrations.RunPython(_fill("lrs_statementagent", "ifi"), migrations.RunPython.noop),
        migrations.RunPython(_fill("lrs_statementactivity", "iri"), migrations.RunPython.noop),
        migrations.RemoveIndex(model_name="statementagent", name="lrs_agent_ifi_seq"),
        migrations.RemoveIndex(model_name="statementactivity", name="lrs_activity_iri_seq"),
        migrations.AddIndex(
            model_name="statementagent",
            index=models.Index(
                fields=["ifi_key", "related_only", "seq"], name="lrs_agent_key_seq"
            ),
        ),
        migrations.AddIndex(
            model_name="statementactivity",
            index=models.Index(
                fields=["iri_key", "related_only", "seq"], name="lrs_activity_key_seq"
            ),
        ),
    ]
