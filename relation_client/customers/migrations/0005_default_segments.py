from django.db import migrations

SEGMENTS = [
    ("Abonnés annuels", 2, "Abonnement annuel tout public."),
    ("Scolaires", 3, "Élèves et étudiants, abonnements scolaires."),
    ("Seniors", 3, "65 ans et plus."),
    ("Personnes à mobilité réduite", 1, "Besoins d'accessibilité : priorité de traitement."),
    ("Voyageurs occasionnels", 6, "Tickets à l'unité et carnets."),
    ("Plans de mobilité employeur", 4, "Abonnements pris en charge par un employeur."),
    ("Visiteurs", 7, "Touristes et visiteurs de passage."),
]


def create(apps, schema_editor):
    Segment = apps.get_model("customers", "Segment")
    for name, priority, description in SEGMENTS:
        Segment.objects.get_or_create(name=name, defaults={"priority": priority, "description": description})


class Migration(migrations.Migration):
    dependencies = [("customers", "0004_segments_contacts_identifiers_search")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
