from decimal import Decimal

from django.db import migrations

# code, name, kind, question in French, question in English
SURVEYS = [
    (
        "satisfaction-echange",
        "Satisfaction après un échange",
        "csat",
        "Dans l'ensemble, êtes-vous satisfait·e de cet échange ?",
        "Overall, how satisfied are you with this exchange?",
    ),
    (
        "recommandation",
        "Recommandation du réseau",
        "nps",
        "Recommanderiez-vous notre réseau à un proche ?",
        "How likely are you to recommend our network to a friend or relative?",
    ),
    (
        "effort",
        "Facilité de la démarche",
        "ces",
        "Avez-vous pu obtenir facilement ce dont vous aviez besoin ?",
        "Was it easy to get what you needed?",
    ),
]

# channel, survey code, share of customers invited: the defaults managers then adjust
SAMPLING = [
    ("counter", "satisfaction-echange", "0.250"),
    ("phone", "satisfaction-echange", "0.250"),
    ("on_board", "satisfaction-echange", "0.100"),
    ("email", "effort", "0.300"),
    ("web_form", "effort", "0.300"),
    ("mobile_app", "effort", "0.300"),
    ("social_media", "recommandation", "0.200"),
    ("letter", "recommandation", "0.200"),
]


def create(apps, schema_editor):
    Survey = apps.get_model("satisfaction", "Survey")
    ChannelSampling = apps.get_model("satisfaction", "ChannelSampling")
    surveys = {}
    for code, name, kind, question_fr, question_en in SURVEYS:
        surveys[code], _created = Survey.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": kind,
                "question_fr": question_fr,
                "question_en": question_en,
            },
        )
    for channel, code, rate in SAMPLING:
        ChannelSampling.objects.get_or_create(
            channel=channel, defaults={"survey": surveys[code], "rate": Decimal(rate)}
        )


class Migration(migrations.Migration):
    dependencies = [("satisfaction", "0003_indicator_snapshots")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
