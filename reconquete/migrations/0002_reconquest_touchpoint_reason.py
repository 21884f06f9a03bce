"""The touchpoint reason of reconquest contacts (call lists, offers at the counter).

An outbound reconquest call asks nothing of the agency: it opens no request.
"""

from django.db import migrations


def create(apps, schema_editor):
    Reason = apps.get_model("touchpoints", "Reason")
    Reason.objects.get_or_create(
        code="reconquest",
        defaults={"label": "Reconquête", "opens_request": False, "is_complaint": False, "position": 10},
    )


def remove(apps, schema_editor):
    Reason = apps.get_model("touchpoints", "Reason")
    Reason.objects.filter(code="reconquest", touchpoints__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reconquete", "0001_initial"),
        ("touchpoints", "0002_reference_data"),
    ]

    operations = [migrations.RunPython(create, remove)]
