"""A segment shortens the response commitment of its customers' requests.

Defaults for the reference segments (migration 0005): people with reduced mobility are
answered in half the channel's commitment, seniors and school pupils in three quarters
of it; the other segments keep the channel's commitment. Managers adjust them in the
admin.
"""

import django.core.validators
from django.db import migrations, models

FASTER = {
    "Personnes à mobilité réduite": 50,
    "Seniors": 75,
    "Scolaires": 75,
}


def shorten(apps, schema_editor):
    Segment = apps.get_model("customers", "Segment")
    for name, percent in FASTER.items():
        Segment.objects.filter(name=name, commitment_percent=100).update(commitment_percent=percent)


create = shorten  # tests/support/reference.py puts the reference lists back after a flush


class Migration(migrations.Migration):

    dependencies = [
        ('customers', '0008_merge_undo_and_protect'),
    ]

    operations = [
        migrations.AddField(
            model_name='segment',
            name='commitment_percent',
            field=models.PositiveSmallIntegerField(default=100, help_text="100 = l'engagement du canal, inchangé ; 50 = délai réduit de moitié. Le délai réduit est compté en heures ouvrées, arrondi à l'heure (un jour ouvré compte pour 8 heures), jamais moins d'une heure ni plus que l'engagement du canal. S'applique aux demandes ouvertes ensuite, pas à celles déjà ouvertes.", validators=[django.core.validators.MinValueValidator(10), django.core.validators.MaxValueValidator(100)], verbose_name="délai de réponse (% de l'engagement du canal)"),
        ),
        migrations.AlterField(
            model_name='segment',
            name='priority',
            field=models.PositiveSmallIntegerField(default=5, help_text='1 = la plus haute : ordonne la file à échéance égale. Dans la file : 1 « Priorité maximale », 2 et 3 « Prioritaire », 4 et au-delà « Standard ».', verbose_name='priorité'),
        ),
        migrations.RunPython(shorten, migrations.RunPython.noop),
    ]
