"""Alerts keep a message code and its parameters, and their text is made when read, in the
reader's language (socle.messages, relation_client/messages.py).

The rows written before hold a French sentence: they get the code "legacy" and keep the
sentence in `message`, their fallback. Those whose sentence reads back into parameters
(a French template this migration holds, frozen, for the kinds it can read) get the
template's code and its parameters, and keep the sentence too: nothing is lost, and
going back only drops the new columns."""

import re

from django.db import migrations, models

BATCH = 2000

# kind -> [(code, the French template as it was written)]: only the texts whose
# parameters are names, numbers and dates, which read back whole
TEMPLATES = {
    "repeat_contact": [
        ("repeat_contact", "%(customer)s a pris contact %(count)s fois en 7 jours."),
    ],
    "handover": [
        ("handover.request", "%(by)s vous attribue la demande « %(subject)s »."),
        ("handover", "%(agent)s vous confie %(customer)s : %(note)s"),
    ],
    "social_media": [
        ("social_media", "%(customer)s : %(reason)s sur les réseaux sociaux — %(summary)s"),
    ],
    "breach": [
        ("breach", "Échéance dépassée (%(deadline)s) : %(customer)s — « %(subject)s »"),
        ("breach.no_customer", "Échéance dépassée (%(deadline)s) : « %(subject)s »"),
    ],
    "deadline_soon": [
        ("deadline_soon", "Échéance proche (%(deadline)s) : %(customer)s — « %(subject)s »"),
        ("deadline_soon.no_customer", "Échéance proche (%(deadline)s) : « %(subject)s »"),
    ],
    "retention": [
        (
            "retention",
            "Purge de conservation : %(count)s fiche(s) sans contact ni activité "
            "depuis le %(date)s anonymisée(s).",
        ),
    ],
    "bulk_read": [
        (
            "bulk_read",
            "%(author)s a consulté %(count)s fiches clients en moins d'une heure (seuil : "
            "%(limit)s). Vérifiez dans le journal des accès que cette lecture est légitime.",
        ),
    ],
    "send_failed": [
        (
            "send_failed",
            "Le message à %(address)s (%(reference)s) n'a pas pu être envoyé : %(error)s. "
            "Réessayez depuis la demande.",
        ),
    ],
    "detractor": [("detractor", "%(customer)s : %(subject)s — à rappeler.")],
    "compliment": [
        (
            "compliment.line",
            "Remerciement pour les conducteurs de la ligne %(line)s : « %(words)s »",
        ),
        ("compliment", "Remerciement pour votre équipe : « %(words)s »"),
    ],
}
NUMBERS = {"count", "limit"}
FRENCH_DATE = re.compile(r"^(\d{2})/(\d{2})/(\d{4})(?: (\d{2}):(\d{2}))?$")


def _pattern(template: str) -> re.Pattern:
    parts = re.split(r"%\((\w+)\)s", template.replace("%%", "%"))
    regex = "".join(
        f"(?P<{part}>.+?)" if index % 2 else re.escape(part) for index, part in enumerate(parts)
    )
    return re.compile(f"^{regex}$", re.DOTALL)


PATTERNS = {
    kind: [(code, _pattern(template)) for code, template in texts]
    for kind, texts in TEMPLATES.items()
}


def _iso(french: str) -> str | None:
    """"05/12/2026" or "05/12/2026 14:30" (Paris time, as written) in ISO."""
    found = FRENCH_DATE.match(french.strip())
    if not found:
        return None
    day, month, year, hour, minute = found.groups()
    if hour is None:
        return f"{year}-{month}-{day}"
    return f"{year}-{month}-{day}T{hour}:{minute}:00"


def read_back(kind: str, message: str) -> tuple[str, dict] | None:
    """The code and parameters a French sentence was made from, or None."""
    for code, pattern in PATTERNS.get(kind, []):
        found = pattern.match(message)
        if not found:
            continue
        params = found.groupdict()
        for name in ("deadline", "date"):
            if name in params:
                iso = _iso(params[name])
                if iso is None:
                    break
                params[name] = iso
        else:
            for name in NUMBERS & params.keys():
                if params[name].isdigit():
                    params[name] = int(params[name])
            if params.get("note") == "le client souhaite vous parler":
                params["note"] = ""  # the default's words, said in the reader's language
            if params.get("error") == "erreur inconnue":
                params["error"] = ""
            return code, params
    return None


def forwards(apps, schema_editor):
    Alert = apps.get_model("touchpoints", "Alert")
    rows = Alert.objects.filter(code="legacy", kind__in=list(TEMPLATES)).exclude(message="")
    last = 0
    while True:
        batch = list(rows.filter(pk__gt=last).order_by("pk").only("kind", "message")[:BATCH])
        if not batch:
            return
        changed = []
        for alert in batch:
            found = read_back(alert.kind, alert.message)
            if found:
                alert.code, alert.params = found
                changed.append(alert)
        Alert.objects.bulk_update(changed, ["code", "params"])
        last = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [("touchpoints", "0013_alert_kind_send_failed")]

    operations = [
        # the rows written before: "legacy", their sentence in `message`
        migrations.AddField(
            model_name="alert",
            name="code",
            field=models.CharField(
                default="legacy", max_length=40, verbose_name="code du message"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="alert",
            name="params",
            field=models.JSONField(
                blank=True, default=dict, verbose_name="paramètres du message"
            ),
        ),
        migrations.AlterField(
            model_name="alert",
            name="message",
            field=models.CharField(
                blank=True, max_length=300, verbose_name="message d'origine"
            ),
        ),
        # going back drops the columns: every row still has its sentence
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
