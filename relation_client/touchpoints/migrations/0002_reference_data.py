from decimal import Decimal

from django.db import migrations

# code, label, opens a request by default, is a complaint; a piece of information opens
# none (0008 changed it for existing databases; tests restore the lists from here)
REASONS = [
    ("information", "Information", False, False),
    ("subscription", "Abonnement", True, False),
    ("fare", "Tarifs", False, False),
    ("complaint", "Réclamation", True, True),
    ("lost_property", "Objet perdu", True, False),
    ("disruption", "Perturbation", True, True),
    ("accessibility", "Accessibilité", True, False),
    ("incivility", "Incivilité", True, True),
    ("compliment", "Remerciement", False, False),
    ("other", "Autre", True, False),
]

# channel, amount, unit: the default commitments, which managers then adjust. French
# service counts "48 heures ouvrées" as two working days (0009 moved existing databases
# there; tests/support/reference.py rebuilds the lists from here after a flush)
COMMITMENTS = [
    ("social_media", 1, "working_hours"),
    ("phone", 1, "working_days"),
    ("counter", 1, "working_days"),
    ("on_board", 1, "working_days"),
    ("mobile_app", 2, "working_days"),
    ("email", 2, "working_days"),
    ("web_form", 2, "working_days"),
    ("letter", 5, "working_days"),
]

LIMITS = [("agent", "30.00"), ("superviseur", "100.00"), ("manager", "300.00"),
          ("direction_reseau", "1000.00")]


def create(apps, schema_editor):
    Reason = apps.get_model("touchpoints", "Reason")
    for position, (code, label, opens, complaint) in enumerate(REASONS):
        Reason.objects.get_or_create(code=code, defaults={
            "label": label, "opens_request": opens, "is_complaint": complaint, "position": position})
    ChannelCommitment = apps.get_model("touchpoints", "ChannelCommitment")
    for channel, amount, unit in COMMITMENTS:
        ChannelCommitment.objects.get_or_create(channel=channel, defaults={"amount": amount, "unit": unit})
    GestureLimit = apps.get_model("touchpoints", "GestureLimit")
    for role, value in LIMITS:
        GestureLimit.objects.get_or_create(role=role, defaults={"max_value": Decimal(value)})


class Migration(migrations.Migration):
    dependencies = [("touchpoints", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
