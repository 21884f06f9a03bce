"""Two years of the demo customers' touchpoints on every channel, in bulk, then the last
ten days through the real service, so that recent questions are open requests with their
deadlines and alerts."""

import datetime
import random

from django.utils import timezone

from agences.models import Agent
from relation_client.customers.models import Customer
from relation_client.touchpoints.models import Reason, Touchpoint
from relation_client.touchpoints.services import touchpoint_log

SUMMARIES = {
    "information": [
        "Horaires de la ligne C3 le dimanche",
        "Itinéraire pour l'hôpital Édouard-Herriot",
        "Accès au parc relais de Vaulx-en-Velin",
    ],
    "subscription": [
        "Renouvellement de l'abonnement annuel",
        "Changement de coordonnées bancaires",
        "Attestation d'abonnement pour l'employeur",
    ],
    "fare": [
        "Tarif solidaire : pièces justificatives",
        "Tarif réduit étudiant",
        "Prix du ticket 24 h",
    ],
    "complaint": [
        "Bus passé sans s'arrêter à l'arrêt Gratte-Ciel",
        "Prélèvement en double ce mois-ci",
        "Valideur hors service, contrôle malgré tout",
    ],
    "lost_property": ["Parapluie oublié dans le tram T1", "Portefeuille perdu ligne C13"],
    "disruption": [
        "Retards répétés sur le métro B le matin",
        "Travaux rue Garibaldi : arrêt déplacé ?",
    ],
    "accessibility": ["Ascenseur en panne station Bellecour", "Rampe d'accès du bus 37 bloquée"],
    "incivility": ["Altercation signalée à bord du bus 9"],
    "compliment": [
        "Remercie le conducteur de la ligne 38 pour son aide",
        "Très satisfaite de l'accueil",
    ],
    "other": ["Demande de rendez-vous en agence", "Question sur l'application mobile"],
}
CHANNEL_WEIGHTS = [
    ("counter", 30),
    ("phone", 30),
    ("email", 12),
    ("web_form", 8),
    ("mobile_app", 6),
    ("social_media", 7),
    ("on_board", 5),
    ("letter", 2),
]


def history_add(*, front_line: list[Agent]) -> tuple[int, int]:
    """(touchpoints, requests opened)."""
    rng = random.Random(2024)
    now = timezone.now()
    reasons = {r.code: r for r in Reason.objects.all()}
    customers = list(Customer.objects.select_related("home_agency", "segment").order_by("id"))
    channels = [c for c, w in CHANNEL_WEIGHTS for _ in range(w)]
    rows = []
    for _ in range(3000):
        customer = rng.choice(customers) if rng.random() > 0.12 else None
        agent = rng.choice(front_line)
        code = rng.choice(list(SUMMARIES))
        day = timezone.localtime(now).date() - datetime.timedelta(days=rng.randint(12, 730))
        # during opening hours, in Paris time
        occurred = timezone.make_aware(
            datetime.datetime.combine(day, datetime.time(rng.randint(8, 17), rng.randint(0, 59)))
        )
        rows.append(
            Touchpoint(
                customer=customer,
                channel=rng.choice(channels),
                direction="outbound" if rng.random() < 0.15 else "inbound",
                reason=reasons[code],
                summary=rng.choice(SUMMARIES[code]),
                agent=agent,
                agency_id=agent.agency_id,
                occurred_at=occurred,
                outcome=rng.choice(["answered", "informed", "answered"]),
                mood=rng.choice(["happy", "neutral", "neutral", "unhappy", ""]),
            )
        )
    Touchpoint.objects.bulk_create(rows, batch_size=1000)
    # the last ten days through the real service: requests with their deadlines, alerts
    opened = 0
    helene = next(
        c for c in customers if c.first_name == "Hélène" and c.last_name == "Dupont-Lefèvre"
    )
    recent = [(helene, "email", "fare", 3)] + [
        (
            rng.choice(customers),
            rng.choice(channels),
            rng.choice(list(SUMMARIES)),
            rng.uniform(0.05, 10),
        )
        for _ in range(60)
    ]
    for customer, channel, code, days_ago in recent:
        agent = customer.usual_contact or rng.choice(front_line)
        touchpoint = touchpoint_log(
            agent=agent,
            customer=customer,
            channel=channel,
            reason=reasons[code],
            summary=rng.choice(SUMMARIES[code]),
            occurred_at=now - datetime.timedelta(days=days_ago),
            outcome="follow_up",
            mood=rng.choice(["neutral", "unhappy", ""]),
        )
        opened += touchpoint.request_id is not None
    return len(rows) + len(recent), opened
