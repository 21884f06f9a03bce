from django.db import migrations

# code, label, category, language code
SKILLS = [
    ("accueil", "Accueil et écoute", "welcome", ""),
    ("accueil-telephone", "Accueil téléphonique", "welcome", ""),
    ("conflits", "Gestion des situations conflictuelles", "conflict", ""),
    ("incivilites", "Réagir à une incivilité", "conflict", ""),
    ("langue-en", "Anglais", "language", "en"),
    ("langue-es", "Espagnol", "language", "es"),
    ("langue-de", "Allemand", "language", "de"),
    ("langue-it", "Italien", "language", "it"),
    ("langue-ar", "Arabe", "language", "ar"),
    ("lsf", "Langue des signes française", "accessibility", ""),
    ("accessibilite", "Accueil des personnes handicapées", "accessibility", ""),
    ("appli-mobile", "Application mobile et billettique", "digital", ""),
    ("reseaux-sociaux", "Réponse sur les réseaux sociaux", "digital", ""),
    ("tarifs", "Tarification et abonnements", "offer", ""),
]


def create(apps, schema_editor):
    Skill = apps.get_model("agences", "Skill")
    for code, label, category, language in SKILLS:
        Skill.objects.get_or_create(
            code=code, defaults={"label": label, "category": category, "language_code": language}
        )


class Migration(migrations.Migration):
    dependencies = [("agences", "0003_partners_skills_training")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
