"""Issue #14. A plain piece of information (timetables, routes, fares) no longer opens a
request by default; complaints, claims, lost property… still do, and the agent decides
otherwise in the form. A walk-in who gave no name may leave a number to be called back on."""

from django.db import migrations, models

# reasons of the reference list (0002) that are a question answered by information
INFORMATION_ONLY = ["information", "fare"]


def information_opens_no_request(apps, schema_editor):
    Reason = apps.get_model("touchpoints", "Reason")
    Reason.objects.filter(code__in=INFORMATION_ONLY).update(opens_request=False)


def information_opens_a_request(apps, schema_editor):
    Reason = apps.get_model("touchpoints", "Reason")
    Reason.objects.filter(code__in=INFORMATION_ONLY).update(opens_request=True)


class Migration(migrations.Migration):
    dependencies = [("touchpoints", "0010_gesture_over_budget")]

    operations = [
        migrations.AlterField(
            model_name="reason",
            name="opens_request",
            field=models.BooleanField(
                default=True,
                help_text=(
                    "Un échange entrant pour ce motif ouvre une demande, sauf si l'agent en "
                    "décide autrement. Décoché pour les simples renseignements (horaires, "
                    "itinéraire, tarifs)."
                ),
                verbose_name="ouvre une demande par défaut",
            ),
        ),
        migrations.RunPython(information_opens_no_request, information_opens_a_request),
        migrations.AddField(
            model_name="touchpoint",
            name="contact_left",
            field=models.CharField(
                blank=True, db_default="", max_length=120, verbose_name="coordonnées laissées"
            ),
        ),
    ]
