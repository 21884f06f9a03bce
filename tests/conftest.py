"""Personas and shared fixtures, in one place. Test data is French, with accents.

Staff: Camille (agent, Lyon) and her colleague Karim, Nathalie (supervisor, Lyon),
François and Sophie (managers of Lyon and Villeurbanne), Théo (agent, Villeurbanne),
Isabelle (network director), Bertrand (DPO), the social-media desk behind API tokens,
Gérard of the lost-property partner. Customers: Hélène, and the awkward cases: a customer
whose usual contact works in another agency, an agency with no supervisor, an API token
without the scope, an erased customer.

Model factories are in tests/factories.py; Paris times in tests/support/time.py.
"""

import contextlib
import datetime
import os

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone, translation
from rest_framework.test import APIClient

from agences import roles
from agences.models import Agency, Agent
from reconquete.services.indicators import SNAPSHOT_TOKEN as reconquest_snapshots
from relation_client.customers.models import Civility, Segment
from relation_client.runs.lease import lease_release_all
from relation_client.touchpoints.models import Reason, Touchpoint
from satisfaction.services.indicators import SNAPSHOT_TOKEN as satisfaction_snapshots
from socle.versioned_cache import token_bump
from tests.factories import (
    PASSWORD,
    AgencyFactory,
    AgentFactory,
    CustomerFactory,
    PartnerFactory,
    PartnerMemberFactory,
    ReasonLookup,
    TouchpointFactory,
)
from tests.support.flush import flush_by_delete, role_may_skip_triggers
from tests.support.reference import reference_data_restore

# the real Celery worker fixture, for the whole suite; the 45 namesakes of issue #14
pytest_plugins = [
    "tests.support.worker",
    "tests.support.redis_server",
    "tests.support.homonyms",
    "tests.support.smtp_server",
    "tests.support.sms_gateway",
    "tests.support.asgi_server",
    "tests.support.imap_server",
]

__all__ = ["PASSWORD"]  # modules that sign in through the login form import it from here

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by
# fixtures around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Django flushes the database between transactional tests with one TRUNCATE of every
    table, and the audit trail refuses TRUNCATE unless the session allows it (privacy
    migration 0004): the test database allows it, for every connection to come and this
    one. tests/privacy/test_audit_truncate.py turns it off to see the refusal. The flush
    itself DELETEs rather than TRUNCATEs, ten times faster (tests/support/flush.py)."""
    from django.db import connection

    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("SELECT current_database()")
        name = cursor.fetchone()[0]
        cursor.execute(f"ALTER DATABASE \"{name}\" SET privacy.audit_truncate = 'allow'")
        cursor.execute("SET privacy.audit_truncate = 'allow'")
        by_delete = role_may_skip_triggers(cursor)
    with flush_by_delete() if by_delete else contextlib.nullcontext():
        yield


@pytest.fixture(autouse=True)
def no_lease_left_running():
    """A test that claims a run and never finishes it leaves no thread renewing its lease
    into the next test (it would touch the database outside any test)."""
    yield
    lease_release_all()


@pytest.fixture(autouse=True)
def language_back_to_french():
    """A request through the test client in English leaves English active in the thread
    (LocaleMiddleware activates, nothing deactivates): texts made at read time (alerts,
    audit) would then come out in English in the next test."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def no_dashboard_rendered_before():
    """The dashboards are cached in Redis until the next recompute, and Redis outlives
    the test's rollback: each test starts from snapshots nobody rendered yet."""
    token_bump(reconquest_snapshots)
    token_bump(satisfaction_snapshots)


@pytest.fixture(autouse=True, scope="session")
def second_factor_off():
    """The personas sign in with force_login and no authenticator: the second factor is
    off for the whole run (module-scoped worlds included), except in
    tests/agences/test_otp*.py, which turn it back on with the `settings` fixture."""
    with override_settings(OTP_REQUIRED_ROLES=set()):
        yield


@pytest.fixture(autouse=True, scope="session")
def cheap_password_hashing():
    """Passwords are hashed at a thousandth of production's cost for the whole run
    (tests/support/hashers.py): staff made by the factories, sign-ins through the form."""
    with override_settings(PASSWORD_HASHERS=["tests.support.hashers.CheapPBKDF2PasswordHasher"]):
        yield


# ---- agencies and staff ----------------------------------------------------------------


@pytest.fixture
def agency_lyon(db):
    return AgencyFactory(
        name="Lyon Part-Dieu", city="Lyon", address="Place Charles-Béraudier, 69003 Lyon"
    )


@pytest.fixture
def agency_villeurbanne(db):
    return AgencyFactory(name="Villeurbanne Gratte-Ciel", city="Villeurbanne")


@pytest.fixture
def make_staff(db):
    def make(username: str, display_name: str, role: str, agency: Agency) -> Agent:
        return AgentFactory(username=username, display_name=display_name, role=role, agency=agency)

    return make


@pytest.fixture
def agent(make_staff, agency_lyon):
    return make_staff("camille", "Camille Rousseau", roles.AGENT, agency_lyon)


@pytest.fixture
def colleague_lyon(make_staff, agency_lyon):
    return make_staff("karim", "Karim Benali", roles.AGENT, agency_lyon)


@pytest.fixture
def supervisor_lyon(make_staff, agency_lyon):
    return make_staff("nathalie", "Nathalie Girard", roles.SUPERVISOR, agency_lyon)


@pytest.fixture
def manager_lyon(make_staff, agency_lyon):
    return make_staff("francois", "François Lemaire", roles.MANAGER, agency_lyon)


@pytest.fixture
def manager_villeurbanne(make_staff, agency_villeurbanne):
    return make_staff("sophie", "Sophie Nguyễn", roles.MANAGER, agency_villeurbanne)


@pytest.fixture
def agent_villeurbanne(make_staff, agency_villeurbanne):
    return make_staff("theo", "Théo Marchand", roles.AGENT, agency_villeurbanne)


@pytest.fixture
def director(make_staff, agency_lyon):
    return make_staff("isabelle", "Isabelle Morel", roles.NETWORK_DIRECTOR, agency_lyon)


@pytest.fixture
def dpo(make_staff, agency_lyon):
    return make_staff("dpo", "Bertrand Lefort", roles.DPO, agency_lyon)


@pytest.fixture
def agency_without_supervisor(make_staff):
    """Vénissieux: a manager and an agent, nobody to whom a supervisor's task can go."""
    agency = AgencyFactory(name="Vénissieux Gare", city="Vénissieux")
    make_staff("lea", "Léa Fontaine", roles.MANAGER, agency)
    make_staff("mathis", "Mathis Ôzdemir", roles.AGENT, agency)
    return agency


@pytest.fixture
def agent_client(client, agent):
    client.force_login(agent.user)
    return client


@pytest.fixture
def login(client):
    """login(agent): the test client, logged in as that member of staff."""

    def do(agent):
        client.force_login(agent.user)
        return client

    return do


# ---- partners ---------------------------------------------------------------------------


@pytest.fixture
def objets_trouves(db):
    return PartnerFactory(
        name="Objets Trouvés Métropole", domain="Objets perdus", contact_name="Gérard Pécuchet"
    )


@pytest.fixture
def partner(objets_trouves):
    """The partner most tests hand requests to: lost property."""
    return objets_trouves


@pytest.fixture
def make_partner_user(db):
    """make_partner_user(partner, username, full_name): a login in the partner group."""

    def make(partner, username: str, full_name: str):
        return PartnerMemberFactory(partner=partner, username=username, full_name=full_name).user

    return make


@pytest.fixture
def gerard(make_partner_user, objets_trouves):
    return make_partner_user(objets_trouves, "gerard", "Gérard Pécuchet")


@pytest.fixture
def partner_user(gerard):
    """The lost-property partner's person: Gérard."""
    return gerard


# ---- API tokens -------------------------------------------------------------------------


@pytest.fixture
def social_desk(make_staff, agency_lyon):
    """The agent account a partner application writes in the name of."""
    return make_staff("bureau.reseaux", "Bureau réseaux sociaux", roles.AGENT, agency_lyon)


@pytest.fixture
def make_token(social_desk):
    """make_token(*scopes): (token, raw key, API client sending it)."""
    from relation_client.api.services import api_token_create

    def make(*scopes: str, name: str = "Bureau réseaux sociaux"):
        token, raw = api_token_create(name=name, agent=social_desk, scopes=list(scopes))
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
        return token, raw, client

    return make


@pytest.fixture
def token_without_scope(make_token):
    """A partner application that may read customers and do nothing else."""
    return make_token("customers:read")


# ---- reference lists ----------------------------------------------------------------------


@pytest.fixture
def reasons(db) -> dict[str, Reason]:
    return {reason.code: reason for reason in Reason.objects.all()}


@pytest.fixture
def reference_data(transactional_db):
    """The reference lists and role groups, whatever a flush left of them."""
    reference_data_restore()


# ---- customers ----------------------------------------------------------------------------


@pytest.fixture
def make_customer(db, agency_lyon):
    """make_customer(first_name, last_name, **CustomerData fields): through customer_create,
    in Lyon; `touchpoints=n` adds n past phone questions, taken by
    `agent`, one an hour back from now."""

    def make(
        first_name="Hélène", last_name="Dupont-Lefèvre", *, touchpoints=0, agent=None, **fields
    ):
        fields.setdefault("home_agency", agency_lyon)
        customer = CustomerFactory(first_name=first_name, last_name=last_name, **fields)
        if touchpoints:
            reason = ReasonLookup(code="information")
            now = timezone.now()
            Touchpoint.objects.bulk_create(
                TouchpointFactory.build(
                    customer=customer,
                    reason=reason,
                    summary=f"Question n° {i} sur les horaires de la ligne C3",
                    agent=agent,
                    agency=agency_lyon,
                    occurred_at=now - datetime.timedelta(hours=i + 1),
                )
                for i in range(touchpoints)
            )
        return customer

    return make


@pytest.fixture
def helene(make_customer, agent):
    """Hélène Dupont-Lefèvre, Camille's customer: phone, e-mail, card, senior, partially
    sighted."""
    return make_customer(
        civility=Civility.MADAME,
        phones=["06 12 34 56 78"],
        emails=["Helene.Dupont@Exemple.fr"],
        cards=["TCL 0042 1968"],
        birth_date=datetime.date(1968, 4, 12),
        needs="Malvoyante : préfère les courriers en gros caractères.",
        tags=["gros caractères"],
        segment=Segment.objects.get(name__icontains="senior"),
        usual_contact=agent,
    )


@pytest.fixture
def customer_with_contact_elsewhere(make_customer, agent_villeurbanne):
    """Jérôme, a Lyon customer whose usual contact is Théo, in Villeurbanne."""
    return make_customer(
        "Jérôme",
        "Gaël-Noël",
        civility=Civility.MONSIEUR,
        phones=["07 98 76 54 32"],
        usual_contact=agent_villeurbanne,
    )


@pytest.fixture
def erased_customer(make_customer, dpo):
    """Zoé, erased at her request by the DPO: the record stays, anonymised."""
    from relation_client.privacy.services import customer_erase

    customer = make_customer("Zoé", "Besançon", phones=["04 78 00 11 22"])
    customer_erase(customer=customer, user=dpo.user, reason="Demande écrite du 3 mars")
    customer.refresh_from_db()
    return customer
