"""Audit rows keep their detail as a code and its parameters, written in the reader's
language when read (socle.messages, relation_client/messages.py).

The trail is append-only (triggers of 0002 refuse UPDATE): the rows written before are
not rewritten. The new column is added with "legacy" as its value for them, which
PostgreSQL writes without an UPDATE, and their French words stay in `detail`, their
fallback. Going back drops the columns."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("privacy", "0007_retentionrun_messages_purged")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="code",
            field=models.CharField(
                blank=True, default="legacy", max_length=40, verbose_name="code du détail"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="params",
            field=models.JSONField(
                blank=True, default=dict, verbose_name="paramètres du détail"
            ),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="detail",
            field=models.CharField(blank=True, max_length=200, verbose_name="détail d'origine"),
        ),
    ]
