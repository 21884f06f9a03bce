"""What the guard rails' data set shares: French names, the personas' helpers, dates."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from agences.models import (
    Agency,
    Agent,
)
from relation_client.customers.services import CustomerData, customer_create

SHARED_PHONE = "04 78 62 15 30"  # a family landline: everyone of the grown customers uses it
SKILL_SOUGHT = "langue-es"  # what the skill finder is asked for

FIRST_NAMES = [
    "Jérôme", "Zoé", "Inès", "Aurélien", "Gaëlle", "Loïc", "Maëlys", "Anaïs", "Noël",
    "Bérénice", "Frédéric", "Léa", "Étienne", "Chloé", "Raphaël", "Agnès",
]  # fmt: skip
LAST_NAMES = [
    "Gaël-Noël", "Brûlé", "Crémieux", "Dubœuf", "Pétrel", "Sénéchal", "Hébert", "Mézières",
    "Thévenet", "Égalité", "Ravès", "Lefèvre", "Bérard", "Châtelet", "Périgord", "Ferrière",
]  # fmt: skip
AGENCIES = [
    ("Vénissieux Centre", "Vénissieux"), ("Bron Parilly", "Bron"),
    ("Écully Le Pérollier", "Écully"), ("Saint-Priest Mairie", "Saint-Priest"),
    ("Caluire Montessuy", "Caluire-et-Cuire"), ("Oullins Gare", "Oullins"),
    ("Vaulx-en-Velin La Soie", "Vaulx-en-Velin"), ("Décines Grand Large", "Décines-Charpieu"),
    ("Rillieux Semailles", "Rillieux-la-Pape"), ("Meyzieu Zone Industrielle", "Meyzieu"),
    ("Tassin Écully", "Tassin-la-Demi-Lune"), ("Givors Canal", "Givors"),
    ("Sainte-Foy Châtelain", "Sainte-Foy-lès-Lyon"), ("Pierre-Bénite Gare", "Pierre-Bénite"),
]  # fmt: skip
COLLEAGUES = [
    "Karim Benali", "Amélie Rossignol", "Théo Marchand", "Noémie Fabre", "Hugo Lefèbvre",
    "Maëva Garnier", "Rémi Duchêne", "Céline Brûlard", "Jérémy Pâris", "Océane Mélin",
    "Benoît Lacôte", "Élodie Varenne", "Gaspard Morvan", "Léonie Thébault",
]  # fmt: skip
PARTNERS = [
    "Taxis PMR Rhône", "Vélo'v Métropole", "Fourrière de Gerland", "Parc Relais Sud",
    "Sécurité Réseau", "Accueil Sourds Lyon", "Médiation Sociale Est", "Bus Scolaires Ouest",
    "Navette Aéroport Saint-Exupéry", "Funiculaire Fourvière", "Trolleybus Croix-Rousse",
    "Covoiturage Grand Lyon", "Objets Perdus Part-Dieu", "Signalétique Écrans",
]  # fmt: skip
SEGMENTS = [
    "Étudiants boursiers", "Familles nombreuses", "Demandeurs d'emploi",
    "Abonnés Vélo'v", "Salariés de l'hôpital Édouard-Herriot", "Apprentis",
    "Résidents des Pentes", "Lycéens du Val de Saône", "Aidants familiaux",
    "Personnels de l'Université Lyon 1", "Voyageurs du soir", "Associations sportives",
    "Clubs du troisième âge", "Commerçants de la Presqu'île",
]  # fmt: skip
SKILLS = [
    "Accueil en langue des signes", "Conduite d'entretien téléphonique", "Tarification solidaire",
    "Désescalade verbale", "Application « TCL »", "Accessibilité des quais", "Italien",
    "Arabe littéral", "Portugais du Brésil", "Vente à distance", "Réclamations écrites",
    "Premiers secours", "Tarifs scolaires", "Mandarin",
]  # fmt: skip


class World:
    """The personas and the objects the measured pages are opened on; the `*_labels`
    lists hold, for each grown row, a text the page shows for that row."""


def paris_now() -> datetime.datetime:
    return timezone.localtime()


def last_month() -> datetime.date:
    """The first day of the last complete Paris month: the dashboards' default period."""
    first = paris_now().date().replace(day=1)
    return (first - datetime.timedelta(days=1)).replace(day=1)


def in_last_month(day: int, hour: int = 10) -> datetime.datetime:
    start = last_month()
    return timezone.make_aware(datetime.datetime(start.year, start.month, day, hour, 0))


def _user(username: str, role: str):
    # no password: the tests sign in with force_login, and hashing one costs ~0.3 s a user
    user = get_user_model().objects.create_user(username=username)
    user.groups.add(Group.objects.get(name=role))
    return user


def _staff(username: str, display_name: str, role: str, agency: Agency, **extra) -> Agent:
    first, last = display_name.split(" ", 1)
    user = _user(username, role)
    user.first_name, user.last_name = first, last
    user.save(update_fields=["first_name", "last_name"])
    return Agent.objects.create(user=user, agency=agency, display_name=display_name, **extra)


def _customer(first: str, last: str, agency: Agency, **extra):
    data = CustomerData(first_name=first, last_name=last, home_agency=agency, **extra)
    return customer_create(data=data, confirm_duplicate=True)
