from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    # concurrently: the invitations table is large and written by every touchpoint
    atomic = False

    dependencies = [
        ("satisfaction", "0006_delete_recomputerun"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="surveyinvitation",
            index=models.Index(
                condition=models.Q(("answered_at__isnull", True), ("sent_at__isnull", True)),
                fields=["created_at"],
                name="invitation_unsent",
            ),
        ),
    ]
