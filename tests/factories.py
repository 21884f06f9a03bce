"""factory_boy factories for the core models. Data is French, with accents.

Customers are built through `customer_create`, like the screens and the API build them
(normalised contact points, identifiers checked): `CustomerFactory` fills a `CustomerData`
and hands it to the service. Rows that tests set up in bulk or in a given state
(touchpoints, requests) are written directly. Reference rows (reasons, segments) come
from the data migrations, so their factories look them up rather than invent them.
"""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from agences import roles
from agences.models import Agency, Agent, Partner, PartnerCommitment, PartnerMember
from relation_client.customers.models import Segment
from relation_client.customers.services import CustomerData, customer_create
from relation_client.touchpoints.models import Reason, Request, Touchpoint

PASSWORD = "mot-de-passe-Écureuil-42"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Agence Saint-Étienne n° {n}")
    city = "Saint-Étienne"


class UserFactory(factory.django.DjangoModelFactory):
    """A login; `role` names the group (agences.roles) it belongs to."""

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"agent{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def role(user, create, extracted, **kwargs):
        if extracted:
            user.groups.add(Group.objects.get(name=extracted))
        user.save()


class AgentFactory(factory.django.DjangoModelFactory):
    """A member of staff: the login (with its role) and the agent in an agency."""

    class Meta:
        model = Agent
        skip_postgeneration_save = True

    class Params:
        username = factory.Sequence(lambda n: f"agent{n}")

    display_name = "Margaux Lefèvre"
    agency = factory.SubFactory(AgencyFactory)
    user = factory.SubFactory(
        UserFactory,
        username=factory.SelfAttribute("..username"),
        first_name=factory.LazyAttribute(lambda u: u.factory_parent.display_name.split(" ", 1)[0]),
        last_name=factory.LazyAttribute(lambda u: u.factory_parent.display_name.split(" ", 1)[1]),
    )

    @factory.post_generation
    def role(agent, create, extracted, **kwargs):
        """role=roles.MANAGER…: the group the login joins (an agent's by default)."""
        agent.user.groups.add(Group.objects.get(name=extracted or roles.AGENT))


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner
        django_get_or_create = ("name",)

    name = "Objets Trouvés Métropole"
    domain = "Objets perdus"
    contact_name = "Gérard Pécuchet"


class PartnerMemberFactory(factory.django.DjangoModelFactory):
    """A partner's person with a login in the partner group."""

    class Meta:
        model = PartnerMember

    class Params:
        username = factory.Sequence(lambda n: f"partenaire{n}")

    partner = factory.SubFactory(PartnerFactory)
    full_name = "Gérard Pécuchet"
    user = factory.SubFactory(
        UserFactory, username=factory.SelfAttribute("..username"), role=roles.PARTNER
    )


class PartnerCommitmentFactory(factory.django.DjangoModelFactory):
    """The partner's promise most tests measure: answer within 48 h, 80 % of the time."""

    class Meta:
        model = PartnerCommitment

    partner = factory.SubFactory(PartnerFactory)
    party = "partner"
    title = "Répondre sous 48 h"
    measure = "answer_delay"
    max_hours = 48
    target_percent = 80
    starts_on = datetime.date(2026, 1, 1)


class SegmentLookup(factory.django.DjangoModelFactory):
    """A segment of the reference list (migration customers 0005), by name."""

    class Meta:
        model = Segment
        django_get_or_create = ("name",)

    name = "Seniors"


class ReasonLookup(factory.django.DjangoModelFactory):
    """A contact reason of the reference list (migration touchpoints 0002), by code."""

    class Meta:
        model = Reason
        django_get_or_create = ("code",)

    code = "information"


class CustomerFactory(factory.Factory):
    """A customer made by `customer_create` (duplicates confirmed): phones, e-mails,
    cards and contracts go in as lists and come out as contact points and identifiers."""

    class Meta:
        model = CustomerData

    first_name = "Hélène"
    last_name = "Dupont-Lefèvre"
    home_agency = factory.SubFactory(AgencyFactory)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return customer_create(data=model_class(*args, **kwargs), confirm_duplicate=True)


class TouchpointFactory(factory.django.DjangoModelFactory):
    """A touchpoint row written directly: no request opened, no alert raised."""

    class Meta:
        model = Touchpoint

    channel = "phone"
    reason = factory.SubFactory(ReasonLookup)
    summary = "Question sur l'abonnement « Tout Lyon »"
    agent = factory.SubFactory(AgentFactory)
    agency = factory.LazyAttribute(lambda tp: tp.agent.agency if tp.agent else None)
    occurred_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))


class RequestFactory(factory.django.DjangoModelFactory):
    """A request in the state the test names, written directly."""

    class Meta:
        model = Request

    agency = factory.SubFactory(AgencyFactory)
    channel = "phone"
    reason = factory.SubFactory(ReasonLookup)
    subject = "Carte Técély bloquée après le rechargement"
    status = "open"
    opened_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))
    deadline = factory.LazyAttribute(lambda r: r.opened_at + datetime.timedelta(days=2))
