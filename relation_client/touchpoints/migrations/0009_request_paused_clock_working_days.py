"""The paused clock of a request waiting for the customer, and commitments in the
words of French service.

"48 heures ouvrées" means two working days, not 48 hours of opening time: every
commitment written in working hours as a multiple of 24 becomes that many working
days (defaults: phone, counter, on board 24 h → 1 jour ouvré; e-mail, web form,
mobile app 48 h → 2 jours ouvrés; social media stays 1 heure ouvrée, letters 5 jours
ouvrés). Requests already waiting for the customer have their clock paused from now.
"""

import django.core.validators
from django.db import migrations, models
from django.utils import timezone


def to_working_days(apps, schema_editor):
    ChannelCommitment = apps.get_model("touchpoints", "ChannelCommitment")
    for commitment in ChannelCommitment.objects.filter(unit="working_hours", amount__gte=24):
        if commitment.amount % 24 == 0:
            commitment.amount //= 24
            commitment.unit = "working_days"
            commitment.save(update_fields=["amount", "unit"])
    Request = apps.get_model("touchpoints", "Request")
    Request.objects.filter(status="waiting_customer", paused_at__isnull=True).update(
        paused_at=timezone.now()
    )


def to_working_hours(apps, schema_editor):
    ChannelCommitment = apps.get_model("touchpoints", "ChannelCommitment")
    for commitment in ChannelCommitment.objects.filter(unit="working_days").exclude(
        channel="letter"
    ):
        commitment.amount *= 24
        commitment.unit = "working_hours"
        commitment.save(update_fields=["amount", "unit"])


class Migration(migrations.Migration):

    dependencies = [
        ('touchpoints', '0008_alert_kind_compliment'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='request',
            name='request_unbreached',
        ),
        migrations.AddField(
            model_name='request',
            name='paused_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='en pause depuis'),
        ),
        migrations.AddField(
            model_name='request',
            name='remaining_at_pause',
            field=models.IntegerField(blank=True, null=True, verbose_name='temps ouvré restant à la mise en pause (min)'),
        ),
        migrations.AlterField(
            model_name='channelcommitment',
            name='amount',
            field=models.PositiveSmallIntegerField(help_text="Un nombre de jours ouvrés ou d'heures ouvrées, selon l'unité.", validators=[django.core.validators.MinValueValidator(1)], verbose_name='délai'),
        ),
        migrations.AlterField(
            model_name='channelcommitment',
            name='unit',
            field=models.CharField(choices=[('working_hours', 'heures ouvrées'), ('working_days', 'jours ouvrés')], help_text="Jours ouvrés : même heure, N jours d'ouverture plus tard (« 48 heures ouvrées » au sens courant = 2 jours ouvrés : vendredi 17 h 30 → mardi 17 h 30). Heures ouvrées : heures d'ouverture de l'agence, pause déjeuner exclue.", max_length=16, verbose_name='unité'),
        ),
        migrations.AddIndex(
            model_name='request',
            index=models.Index(condition=models.Q(('breached_at__isnull', True), ('status', 'open')), fields=['deadline'], name='request_unbreached'),
        ),
        migrations.RunPython(to_working_days, to_working_hours),
    ]
