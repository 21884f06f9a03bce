"""Who may open what: every page and API endpoint tried with every role, allowed and refused.

The table below has one row per URL pattern of the project (admin, i18n and the API
schema and docs aside); `test_the_table_covers_every_url` fails when a page is added
without a row. Each row says which roles get in; everyone else is refused:

- anonymous visitors are sent to the login page (the API answers 401);
- a signed-in person without the role gets a 403 (the API: 403 JSON {code, field, detail});
- an object of another agency, or one that is not theirs (another agent's alert or call
  list line, an incivility report they may not read), is a 404: its existence is not
  theirs to know. Asking for another agency's *figures* by parameter (?agence=) is a 403.

"Gets in" means 200, a redirect to a page of the application, or — for a POST sent
without a valid form — the form's own refusal (400/422): the door opened, the input did
not pass. Every POST here is sent empty or nearly so.

Roles (agences/roles.py), as this table decides them:

- agent: customers (read, create, log exchanges), their agency's requests, gestures and
  alerts, their call list, their agency's team figures (reconquest and satisfaction
  dashboards, identification rate — earlier issues decided agents see their own team's
  figures: "indicators are for teams to improve"), the academy, pulse and barometer;
- superviseur: the agent's, plus their agency's management figures (partner compliance,
  the loyalty cycle read-only), gesture approval, customer merge, satisfaction recompute;
- manager: the supervisor's, plus campaigns, reconquest settings and recompute, the
  cycle's steering, training attendance, their agents' skills;
- direction_reseau: everything a manager does, for every agency (any agency's figures,
  campaigns, incivility reports and agents' skills). Requests stay worked by their own
  agency: the director opens their agency's requests, not another's (404), like anyone;
- dpo: the privacy tools, reading customers (search, page, history, caller lookup) and
  recording a consent decision, their own alerts (retention), the academy, pulse and
  incivility reports; no operational figures and no operational writes (logging
  exchanges, requests, gestures, campaigns, the barometer, API writes);
- administrateur: holds every permission (roles_sync), so the privacy tools too; it has
  an agent profile and works like the network director;
- partenaire: only the partner space, with the requests escalated to their partner (any
  other page is a 403, their home redirects to the partner space).

The API accepts session authentication (REST_FRAMEWORK's SessionAuthentication): what a
signed-in user reaches through the browser is tested with the same roles, and tokens are
tested against their scopes (a token lacking the method's scope: 403 insufficient_scope).
"""

import datetime
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlparse

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from agences import roles
from agences.models import (
    Agency,
    Agent,
    Partner,
    PartnerMember,
    TrainingAttendance,
    TrainingSession,
)
from reconquete.models import INDICATORS_RUN as RECONQUEST_RUN
from reconquete.models import (
    Campaign,
    CampaignTarget,
    CaseReason,
    ReconquestCase,
)
from relation_client.api.services import api_token_create
from relation_client.customers.models import Segment
from relation_client.customers.services import CustomerData, customer_create
from relation_client.cycle import services as cycle
from relation_client.cycle.models import PrivilegeAction, Stage
from relation_client.runs.models import BackgroundRun
from relation_client.touchpoints.models import Reason, Request
from relation_client.touchpoints.services import alert_raise, gesture_grant, touchpoint_log
from satisfaction.models import INDICATORS_RUN as SATISFACTION_RUN
from satisfaction.services.incivility import incivility_report
from tests.cycle.conftest import bring_round_to

ANONYMOUS = "anonyme"
AGENT, SUPERVISOR, MANAGER = roles.AGENT, roles.SUPERVISOR, roles.MANAGER
DIRECTOR, DPO, ADMIN, PARTNER = (
    roles.NETWORK_DIRECTOR,
    roles.DPO,
    roles.ADMINISTRATOR,
    roles.PARTNER,
)
PERSONAS = [ANONYMOUS, AGENT, SUPERVISOR, MANAGER, DIRECTOR, DPO, ADMIN, PARTNER]

# outcomes
OK, LOGIN, DENIED, MISSING = "entre", "connexion", "403", "404"

WORKSPACE = {AGENT, SUPERVISOR, MANAGER, DIRECTOR, ADMIN}
STAFF = WORKSPACE | {DPO}
SIGNED_IN = STAFF | {PARTNER}
FIGURES = {SUPERVISOR, MANAGER, DIRECTOR, ADMIN}
STEERING = {MANAGER, DIRECTOR, ADMIN}
PRIVACY = {DPO, ADMIN}
PUBLIC = "public"

SKIPPED_PREFIXES = ("admin/", "i18n/")
SKIPPED_NAMES = {"api-schema", "api-docs"}


@dataclass
class Row:
    name: str
    allowed: set | str
    method: str = "get"
    kwargs: object = None  # callable(world, persona) -> dict
    query: dict = field(default_factory=dict)
    data: object = None
    overrides: dict = field(default_factory=dict)  # persona -> outcome
    public_outcome: str = OK  # what everyone gets on a public row
    note: str = ""

    @property
    def api(self) -> bool:
        return self.name.split(":")[0] in ("api", "reconquete_api", "satisfaction_api")

    def expected(self, persona: str) -> str:
        if self.allowed == PUBLIC:
            return self.public_outcome
        if persona in self.overrides:
            return self.overrides[persona]
        if persona == ANONYMOUS:
            return LOGIN
        return OK if persona in self.allowed else DENIED


def pk(attr):
    return lambda w, persona: {"pk": getattr(w, attr).pk}


def own_alert(w, persona):
    holder = w.staff.get(persona) or w.staff[AGENT]
    return {"pk": w.alerts[holder.pk].pk}


NOT_THEIRS = {SUPERVISOR: MISSING, MANAGER: MISSING, DIRECTOR: MISSING, ADMIN: MISSING}

ROWS = [
    # --- the front door ---------------------------------------------------------------
    Row("home", SIGNED_IN),
    Row("login", PUBLIC),
    Row("logout", PUBLIC, method="post", public_outcome=LOGIN, note="signs out, back to login"),
    Row("health", PUBLIC),
    # --- customers ---------------------------------------------------------------------
    Row("customers:search", STAFF, query={"q": "Dupont"}),
    Row("customers:incoming_call", STAFF, query={"phone": "06 12 34 56 78"}),
    Row("customers:create", WORKSPACE),
    Row("customers:merge", FIGURES, note="agences.merge_customers: supervisors and up"),
    Row("customers:detail", STAFF, kwargs=pk("helene")),
    Row("customers:timeline", STAFF, kwargs=pk("helene")),
    Row("customers:log_touchpoint", WORKSPACE, method="post", kwargs=pk("helene")),
    Row("customers:handover", WORKSPACE, method="post", kwargs=pk("helene")),
    Row("customers:consent_change", STAFF, method="post", kwargs=pk("helene")),
    # --- requests, alerts, gestures (the agency's workspace) -----------------------------
    Row("touchpoints:queue", WORKSPACE),
    Row("touchpoints:request_detail", WORKSPACE, kwargs=pk("request")),
    Row("touchpoints:request_answer", WORKSPACE, method="post", kwargs=pk("request")),
    Row("touchpoints:request_wait", WORKSPACE, method="post", kwargs=pk("request")),
    Row("touchpoints:request_close", WORKSPACE, method="post", kwargs=pk("request")),
    Row("touchpoints:request_reopen", WORKSPACE, method="post", kwargs=pk("request")),
    Row("touchpoints:request_escalate", WORKSPACE, method="post", kwargs=pk("request")),
    Row("touchpoints:request_attach", WORKSPACE, method="post", kwargs=pk("request")),
    Row("touchpoints:alerts", STAFF),
    Row("touchpoints:alert_acknowledge", STAFF, method="post", kwargs=own_alert),
    Row("touchpoints:alert_resolve", STAFF, method="post", kwargs=own_alert),
    Row("touchpoints:gestures", WORKSPACE),
    Row(
        "touchpoints:gesture_grant",
        WORKSPACE,
        kwargs=lambda w, persona: {"customer_id": w.helene.pk},
    ),
    Row(
        "touchpoints:gesture_decide",
        FIGURES,
        method="post",
        kwargs=pk("gesture"),
        data={"decision": "approve"},
    ),
    Row("touchpoints:identification", WORKSPACE),
    # --- the loyalty cycle ---------------------------------------------------------------
    Row("cycle:board", FIGURES),
    Row(
        "cycle:segment_start",
        STEERING,
        method="post",
        kwargs=lambda w, persona: {"segment_id": w.segment.pk},
    ),
    Row("cycle:round_detail", FIGURES, kwargs=pk("round")),
    Row("cycle:round_advance", STEERING, method="post", kwargs=pk("round")),
    Row("cycle:round_close", STEERING, method="post", kwargs=pk("round")),
    Row(
        "cycle:record_add",
        STEERING,
        method="post",
        kwargs=lambda w, persona: {"pk": w.round.pk, "slug": "constat"},
    ),
    Row(
        "cycle:item_end",
        STEERING,
        method="post",
        kwargs=lambda w, persona: {"pk": w.round.pk, "kind": "action", "item_pk": w.action.pk},
    ),
    Row("cycle:control_measure", STEERING, method="post", kwargs=pk("control")),
    # --- partners, the partner space, the academy --------------------------------------
    Row("agences:partner_list", FIGURES),
    Row(
        "agences:partner_compliance",
        FIGURES,
        kwargs=lambda w, persona: {"pk": w.partner.pk, "year": 2026, "month": 10},
    ),
    Row("agences:compliance_recompute", STEERING, method="post"),
    Row("agences:partner_requests", {PARTNER}),
    Row("agences:partner_request_detail", {PARTNER}, kwargs=pk("escalated")),
    Row("agences:partner_request_answer", {PARTNER}, method="post", kwargs=pk("escalated")),
    Row("agences:academy", STAFF),
    Row("agences:session_detail", STEERING, kwargs=pk("session")),
    Row("agences:session_register", STAFF, method="post", kwargs=pk("session")),
    Row("agences:attendance_record", STEERING, method="post", kwargs=pk("attendance")),
    Row("agences:skill_finder", STAFF),
    Row(
        "agences:agent_skills",
        {AGENT, MANAGER, DIRECTOR, ADMIN},
        kwargs=lambda w, persona: {"pk": w.staff[AGENT].pk},
        note="the person herself, her agency's manager, the network direction",
    ),
    Row(
        "agences:skill_assess",
        STEERING,
        method="post",
        kwargs=lambda w, persona: {"pk": w.staff[AGENT].pk},
    ),
    # --- privacy ---------------------------------------------------------------------------
    Row("privacy:index", PRIVACY),
    Row("privacy:customer", PRIVACY, kwargs=pk("helene")),
    Row("privacy:erase", PRIVACY, method="post", kwargs=pk("helene")),
    # --- reconquest --------------------------------------------------------------------------
    Row("reconquete:dashboard", WORKSPACE),
    Row(
        "reconquete:dashboard_export",
        WORKSPACE,
        kwargs=lambda w, persona: {"table": "tendance"},
    ),
    Row(
        "reconquete:drilldown",
        WORKSPACE,
        kwargs=lambda w, persona: {"kind": "lost"},
        query={"du": "2026-10", "au": "2026-10"},
    ),
    Row("reconquete:recompute", STEERING, method="post"),
    Row("reconquete:recompute_progress", STEERING, kwargs=pk("reconquest_run")),
    Row("reconquete:detect", STEERING, method="post"),
    Row("reconquete:campaigns", STEERING),
    Row("reconquete:campaign_create", STEERING),
    Row("reconquete:campaign_detail", STEERING, kwargs=pk("campaign")),
    Row("reconquete:campaign_launch", STEERING, method="post", kwargs=pk("campaign")),
    Row("reconquete:campaign_close", STEERING, method="post", kwargs=pk("campaign")),
    Row("reconquete:campaign_export", STEERING, kwargs=pk("campaign")),
    Row("reconquete:call_list", WORKSPACE),
    Row(
        "reconquete:target_outcome",
        {AGENT},
        method="post",
        kwargs=pk("target"),
        overrides=NOT_THEIRS,
        note="the call list line is the assigned agent's own",
    ),
    Row("reconquete:settings", STEERING),
    Row("reconquete:settings_edit", STEERING, kwargs=lambda w, persona: {"key": "reseau"}),
    Row(
        "reconquete:settings_reset",
        STEERING,
        method="post",
        kwargs=lambda w, persona: {"key": "reseau"},
    ),
    # --- satisfaction ------------------------------------------------------------------------
    Row("satisfaction:dashboard", WORKSPACE),
    Row("satisfaction:export", WORKSPACE),
    Row("satisfaction:drilldown", WORKSPACE, kwargs=lambda w, persona: {"kind": "reponses"}),
    Row("satisfaction:recompute", FIGURES, method="post"),
    Row("satisfaction:recompute_progress", FIGURES, kwargs=pk("satisfaction_run")),
    Row("satisfaction:incivility_list", STAFF),
    Row("satisfaction:incivility_create", STAFF),
    Row(
        "satisfaction:incivility_detail",
        WORKSPACE,
        kwargs=pk("incivility"),
        overrides={DPO: MISSING},
        note="the agent concerned, her agency's supervision, the network direction",
    ),
    Row(
        "satisfaction:incivility_action",
        FIGURES,
        method="post",
        kwargs=lambda w, persona: {"pk": w.incivility.pk, "action": "prise-en-compte"},
        overrides={DPO: MISSING},
        note="follow-up by the supervision, never by the agent concerned",
    ),
    Row("satisfaction:pulse", STAFF),
    Row("satisfaction:barometer", WORKSPACE),
    Row("satisfaction:survey_thanks", PUBLIC),
    Row(
        "satisfaction:survey",
        PUBLIC,
        kwargs=lambda w, persona: {"token": "lien-inconnu"},
        public_outcome=MISSING,
        note="the customer's page: no login; an unknown link is a 404 for everyone",
    ),
    # --- the API, through a browser session ----------------------------------------------------
    Row("api:customer-list", STAFF, query={"search": "Dupont"}),
    Row("api:customer-list", WORKSPACE, method="post", data={}),
    Row("api:customer-lookup", STAFF, query={"phone": "06 12 34 56 78"}),
    Row("api:customer-detail", STAFF, kwargs=pk("helene")),
    Row("api:customer-detail", WORKSPACE, method="patch", kwargs=pk("helene"), data={}),
    Row("api:customer-timeline", STAFF, kwargs=pk("helene")),
    Row("api:touchpoint-log", WORKSPACE, method="post", data={}),
    Row("api:request-list", STAFF),
    Row("api:request-detail", STAFF, kwargs=pk("request")),
    Row("reconquete_api:ridership-bulk", STEERING, method="post", data=[]),
    Row("reconquete_api:subscriptions-bulk", STEERING, method="post", data=[]),
    Row(
        "satisfaction_api:survey-answers",
        WORKSPACE,
        method="post",
        data=[],
        note="reported: any team member's session may post survey answers (no permission "
        "beyond the token scope); the satisfaction API should require one",
    ),
]

# the scope a token needs, per API row (method, name)
TOKEN_SCOPES = {
    ("get", "api:customer-list"): "customers:read",
    ("post", "api:customer-list"): "customers:write",
    ("get", "api:customer-lookup"): "customers:read",
    ("get", "api:customer-detail"): "customers:read",
    ("patch", "api:customer-detail"): "customers:write",
    ("get", "api:customer-timeline"): "customers:read",
    ("post", "api:touchpoint-log"): "touchpoints:write",
    ("get", "api:request-list"): "requests:read",
    ("get", "api:request-detail"): "requests:read",
    ("post", "reconquete_api:ridership-bulk"): "ridership:write",
    ("post", "reconquete_api:subscriptions-bulk"): "ridership:write",
    ("post", "satisfaction_api:survey-answers"): "surveys:write",
}


def _walk(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if str(pattern.pattern) in SKIPPED_PREFIXES:
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            if pattern.name in SKIPPED_NAMES:
                continue
            # a pattern without a name cannot be in the table: it shows as its route
            yield f"{namespace}{pattern.name}" if pattern.name else f"<{pattern.pattern}>"


def project_url_names() -> set[str]:
    return set(_walk(get_resolver().url_patterns))


def test_the_table_covers_every_url():
    covered = {row.name for row in ROWS}
    missing = project_url_names() - covered
    assert not missing, f"pages without a row in the permissions table: {sorted(missing)}"
    assert not covered - project_url_names(), "rows for URLs that no longer exist"


# --- the world every row is tried in ------------------------------------------------------


class World:
    pass


def _user(username: str, role: str):
    # no password: the test signs in with force_login, and hashing one costs ~0.3 s a user
    user = get_user_model().objects.create_user(username=username)
    user.groups.add(Group.objects.get(name=role))
    return user


def _staff(username: str, display_name: str, role: str, agency: Agency) -> Agent:
    return Agent.objects.create(
        user=_user(username, role), agency=agency, display_name=display_name
    )


def _customer(first: str, last: str, agency: Agency, **extra):
    data = CustomerData(first_name=first, last_name=last, home_agency=agency, **extra)
    return customer_create(data=data, confirm_duplicate=True)


def _question(agent, customer, summary: str) -> Request:
    return touchpoint_log(
        agent=agent,
        customer=customer,
        channel="phone",
        reason=Reason.objects.get(code="information"),
        summary=summary,
        occurred_at=timezone.now() - datetime.timedelta(hours=1),
    ).request


@pytest.fixture
def world(agency_lyon, agency_villeurbanne) -> World:
    w = World()
    w.lyon, w.villeurbanne = agency_lyon, agency_villeurbanne
    w.staff = {
        AGENT: _staff("camille", "Camille Rousseau", AGENT, agency_lyon),
        SUPERVISOR: _staff("nathalie", "Nathalie Girard", SUPERVISOR, agency_lyon),
        MANAGER: _staff("francois", "François Lemaire", MANAGER, agency_lyon),
        DIRECTOR: _staff("isabelle", "Isabelle Morel", DIRECTOR, agency_lyon),
        DPO: _staff("bertrand", "Bertrand Lefort", DPO, agency_lyon),
        ADMIN: _staff("emilie", "Émilie Chauvin", ADMIN, agency_lyon),
    }
    camille, manager = w.staff[AGENT], w.staff[MANAGER]
    w.theo = _staff("theo", "Théo Marchand", AGENT, agency_villeurbanne)
    w.sophie = _staff("sophie", "Sophie Nguyễn", MANAGER, agency_villeurbanne)
    w.users = {role: agent.user for role, agent in w.staff.items()}
    w.partner = Partner.objects.create(name="Objets Trouvés Métropole", domain="Objets perdus")
    w.other_partner = Partner.objects.create(name="Taxis PMR Rhône", domain="Transport adapté")
    w.users[PARTNER] = _user("gerard", PARTNER)
    PartnerMember.objects.create(
        partner=w.partner, full_name="Gérard Pécuchet", user=w.users[PARTNER]
    )

    w.helene = _customer(
        "Hélène", "Dupont-Lefèvre", agency_lyon, phones=["06 12 34 56 78"], usual_contact=camille
    )
    w.kevin = _customer("Kévin", "Nguyễn", agency_villeurbanne)
    w.request = _question(camille, w.helene, "Carte Técély bloquée après le rechargement")
    w.request_villeurbanne = _question(w.theo, w.kevin, "Remboursement d'un trajet annulé")
    reason = Reason.objects.get(code="lost_property")
    now = timezone.now()

    def escalated(partner, subject):
        return Request.objects.create(
            agency=agency_lyon,
            customer=w.helene,
            channel="phone",
            reason=reason,
            subject=subject,
            status="open",
            opened_at=now - datetime.timedelta(hours=3),
            deadline=now + datetime.timedelta(days=2),
            partner=partner,
            escalated_at=now - datetime.timedelta(hours=2),
        )

    w.escalated = escalated(w.partner, "Parapluie oublié dans le T1")
    w.escalated_elsewhere = escalated(w.other_partner, "Trajet en taxi PMR manqué")
    w.alerts = {
        agent.pk: alert_raise(
            kind="handover",
            recipient=agent,
            cause=f"matrice:{agent.pk}",
            message="Hélène Dupont-Lefèvre vous est confiée.",
        )
        for agent in [*w.staff.values(), w.theo]
    }
    w.gesture = gesture_grant(
        customer=w.helene,
        agent=camille,
        kind="refund",
        value=Decimal("400"),
        reason="Trois retards du tram T4 cette semaine",
        channel="phone",
    )
    w.gesture_villeurbanne = gesture_grant(
        customer=w.kevin,
        agent=w.theo,
        kind="refund",
        value=Decimal("400"),
        reason="Bus supprimé sans information",
        channel="phone",
    )

    w.segment = Segment.objects.get(name="Seniors")
    w.round = bring_round_to(
        Segment.objects.get(name="Personnes à mobilité réduite"), Stage.CONTROL, by=manager
    )
    w.action = PrivilegeAction.objects.get(round=w.round)
    w.control = cycle.control_add(
        round=w.round,
        by=manager,
        indicator="manual",
        label="Clients servis en moins de 5 minutes (%)",
        target=80,
    )

    w.session = TrainingSession.objects.create(
        topic="Accueil des personnes malentendantes",
        starts_at=now + datetime.timedelta(days=10),
        duration_hours=Decimal("3"),
        trainer="Léa Fabre",
        place="Salle Rhône, Part-Dieu",
        capacity=12,
    )
    w.attendance = TrainingAttendance.objects.create(session=w.session, agent=camille)

    w.campaign = _campaign("Printemps du tram", manager, agency_lyon)
    w.campaign_villeurbanne = _campaign("Retour au bus", w.sophie, agency_villeurbanne)
    case = ReconquestCase.objects.create(
        customer=w.helene,
        reason=CaseReason.RIDERSHIP_DROP,
        agency=agency_lyon,
        lost_since=datetime.date(2026, 6, 1),
        watch_from=datetime.date(2026, 9, 1),
        opened_at=now - datetime.timedelta(days=20),
    )
    w.target = CampaignTarget.objects.create(
        campaign=w.campaign,
        customer=w.helene,
        case=case,
        agent=camille,
        contactable=True,
        channels=["phone"],
        created_at=now - datetime.timedelta(days=5),
    )
    w.reconquest_run = BackgroundRun.objects.create(
        kind=RECONQUEST_RUN, task_id="matrice", requested_by=manager
    )
    w.satisfaction_run = BackgroundRun.objects.create(kind=SATISFACTION_RUN, requested_by=manager)
    w.incivility = _incivility(camille, "Un client a insulté l'agent au guichet")
    w.incivility_villeurbanne = _incivility(w.theo, "Menaces au téléphone")
    return w


def _campaign(name: str, by, agency: Agency) -> Campaign:
    campaign = Campaign.objects.create(
        name=name,
        channels=["phone"],
        created_by=by,
        offer_type="free_month",
        offer_text="Un mois offert sur l'abonnement Tout Lyon.",
        starts_on=datetime.date(2026, 3, 1),
        ends_on=datetime.date(2026, 12, 31),
    )
    campaign.agencies.set([agency])
    return campaign


def _incivility(agent, description: str):
    return incivility_report(
        reported_by=agent,
        direction="against_staff",
        kind="insult",
        severity=2,
        place="counter",
        description=description,
        occurred_at=timezone.now() - datetime.timedelta(hours=2),
    )


# --- trying the doors ------------------------------------------------------------------------


def client_for(world: World, persona: str) -> Client:
    client = Client()
    if persona != ANONYMOUS:
        client.force_login(world.users[persona])
    return client


def call(client: Client, row: Row, world: World, persona: str, headers=None):
    kwargs = row.kwargs(world, persona) if row.kwargs else {}
    path = reverse(row.name, kwargs=kwargs)
    send = getattr(client, row.method)
    extra = headers or {}
    if row.method == "get":
        return send(path, row.query, **extra)
    if row.api:
        body = json.dumps(row.data if row.data is not None else {})
        return send(path, body, content_type="application/json", **extra)
    return send(path, row.data or {}, **extra)


def outcome(response) -> str:
    status = response.status_code
    if status == 401:
        return LOGIN
    if status in (301, 302):
        target = urlparse(response["Location"])
        if target.netloc:
            return f"redirection hors de l'application : {response['Location']}"
        return LOGIN if target.path == reverse("login") else OK
    if status == 403:
        return DENIED
    if status == 404:
        return MISSING
    if status in (200, 201, 400, 422):
        return OK
    return f"HTTP {status}"


def check_api_refusal(response) -> None:
    """A refused API call answers the one error shape."""
    body = response.json()
    assert {"code", "field", "detail"} <= set(body), body
    assert body["code"] and isinstance(body["detail"], str) and body["detail"], body


def row_id(row: Row) -> str:
    return f"{row.method} {row.name}"


@pytest.mark.django_db
@pytest.mark.parametrize("row", ROWS, ids=row_id)
def test_each_role_against_each_page(world, row):
    wrong = []
    for persona in PERSONAS:
        response = call(client_for(world, persona), row, world, persona)
        got, wanted = outcome(response), row.expected(persona)
        if got != wanted:
            wrong.append(f"{persona}: attendu {wanted}, obtenu {got} ({response.status_code})")
        if row.api and got in (LOGIN, DENIED):
            check_api_refusal(response)
    assert not wrong, f"{row_id(row)}\n" + "\n".join(wrong)


# --- tokens: scopes, not roles -----------------------------------------------------------------

API_ROWS = [row for row in ROWS if row.api]


@pytest.mark.django_db
@pytest.mark.parametrize("row", API_ROWS, ids=row_id)
def test_a_token_needs_the_scope_of_the_method(world, row):
    needed = TOKEN_SCOPES[(row.method, row.name)]
    desk = world.staff[AGENT]
    _token, without = api_token_create(
        name="Bureau réseaux sociaux", agent=desk, scopes=[s for s in _scopes() if s != needed]
    )
    _token, with_it = api_token_create(name="Billettique", agent=desk, scopes=[needed])
    client = Client()

    refused = call(client, row, world, AGENT, headers={"HTTP_AUTHORIZATION": f"Bearer {without}"})
    assert refused.status_code == 403
    body = refused.json()
    assert (body["code"], body["field"]) == ("insufficient_scope", None)
    assert needed in body["detail"] and "jeton" in body["detail"]

    allowed = call(client, row, world, AGENT, headers={"HTTP_AUTHORIZATION": f"Bearer {with_it}"})
    assert outcome(allowed) == OK, allowed.content[:300]


def _scopes() -> list[str]:
    from relation_client.api.models import Scope

    return list(Scope.values)


def test_every_api_row_names_its_scope():
    assert {(row.method, row.name) for row in API_ROWS} == set(TOKEN_SCOPES)


# --- across agencies and partners --------------------------------------------------------------


def _as(world: World, user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_a_lyon_agent_neither_sees_nor_acts_on_a_villeurbanne_request(world):
    client = _as(world, world.users[AGENT])
    foreign = world.request_villeurbanne
    assert client.get(reverse("touchpoints:request_detail", args=[foreign.pk])).status_code == 404
    for name in ("request_answer", "request_wait", "request_close", "request_escalate",
                 "request_attach", "request_reopen"):  # fmt: skip
        response = client.post(reverse(f"touchpoints:{name}", args=[foreign.pk]), {"note": "Vu"})
        assert response.status_code == 404, name
    foreign.refresh_from_db()
    assert foreign.status == "open" and foreign.partner_id is None
    queue = client.get(reverse("touchpoints:queue")).content.decode()
    assert "Carte Técély bloquée" in queue and "Remboursement d'un trajet annulé" not in queue
    # even the network director works their own agency's requests only
    director = _as(world, world.users[DIRECTOR])
    assert director.get(reverse("touchpoints:request_detail", args=[foreign.pk])).status_code == 404


@pytest.mark.django_db
def test_a_lyon_manager_sees_lyon_figures_and_not_villeurbanne_drilldowns(world):
    client = _as(world, world.users[MANAGER])
    villeurbanne = {"agence": world.villeurbanne.pk}
    month = {"du": "2026-10", "au": "2026-10"}
    refused = [
        (reverse("reconquete:dashboard"), villeurbanne),
        (reverse("reconquete:dashboard_export", args=["agences"]), villeurbanne),
        (reverse("reconquete:drilldown", args=["lost"]), {**month, **villeurbanne}),
        (reverse("reconquete:drilldown", args=["won_back"]), {**month, **villeurbanne}),
        (reverse("satisfaction:dashboard"), villeurbanne),
        (reverse("satisfaction:export"), villeurbanne),
        (reverse("satisfaction:drilldown", args=["reponses"]), villeurbanne),
        (reverse("touchpoints:identification"), villeurbanne),
    ]
    for path, query in refused:
        assert client.get(path, query).status_code == 403, (path, query)
        assert client.get(path, {**query, "agence": world.lyon.pk}).status_code == 200, path
    # another agency's objects do not exist for them
    for name, obj in [
        ("reconquete:campaign_detail", world.campaign_villeurbanne),
        ("reconquete:campaign_export", world.campaign_villeurbanne),
        ("satisfaction:incivility_detail", world.incivility_villeurbanne),
    ]:
        assert client.get(reverse(name, args=[obj.pk])).status_code == 404, name
    response = client.post(
        reverse("touchpoints:gesture_decide", args=[world.gesture_villeurbanne.pk]),
        {"decision": "approve"},
    )
    assert response.status_code == 404
    world.gesture_villeurbanne.refresh_from_db()
    assert world.gesture_villeurbanne.status == "pending"
    assert client.get(reverse("agences:agent_skills", args=[world.theo.pk])).status_code == 403


@pytest.mark.django_db
def test_the_network_director_sees_every_agency(world):
    client = _as(world, world.users[DIRECTOR])
    villeurbanne = {"agence": world.villeurbanne.pk}
    for path, query in [
        (reverse("reconquete:dashboard"), villeurbanne),
        (
            reverse("reconquete:drilldown", args=["lost"]),
            {"du": "2026-10", "au": "2026-10", **villeurbanne},
        ),  # fmt: skip
        (reverse("satisfaction:dashboard"), villeurbanne),
        (reverse("touchpoints:identification"), villeurbanne),
        (reverse("reconquete:campaign_detail", args=[world.campaign_villeurbanne.pk]), {}),
        (reverse("satisfaction:incivility_detail", args=[world.incivility_villeurbanne.pk]), {}),
        (reverse("agences:agent_skills", args=[world.theo.pk]), {}),
    ]:
        assert client.get(path, query).status_code == 200, path


@pytest.mark.django_db
def test_partner_staff_see_only_what_is_escalated_to_them(world):
    client = _as(world, world.users[PARTNER])
    listing = client.get(reverse("agences:partner_requests")).content.decode()
    assert "Parapluie oublié dans le T1" in listing
    assert "Trajet en taxi PMR manqué" not in listing
    assert "Carte Técély bloquée" not in listing
    for request in (world.escalated_elsewhere, world.request):  # another partner's, never sent
        path = reverse("agences:partner_request_detail", args=[request.pk])
        assert client.get(path).status_code == 404
        answer = reverse("agences:partner_request_answer", args=[request.pk])
        assert client.post(answer, {"note": "Retrouvé"}).status_code == 404
    assert client.get(reverse("customers:detail", args=[world.helene.pk])).status_code == 403
    assert client.get(reverse("api:request-detail", args=[world.request.pk])).status_code == 403


@pytest.mark.django_db
def test_privacy_tools_are_for_the_dpo_and_the_administrator(world):
    path = reverse("privacy:customer", args=[world.helene.pk])
    for persona in (DPO, ADMIN):
        assert _as(world, world.users[persona]).get(path).status_code == 200
    for persona in (AGENT, SUPERVISOR, MANAGER, DIRECTOR, PARTNER):
        assert _as(world, world.users[persona]).get(path).status_code == 403, persona
    # the DPO reads customers but records no exchange, through the pages or the API
    dpo = _as(world, world.users[DPO])
    assert dpo.get(reverse("customers:detail", args=[world.helene.pk])).status_code == 200
    response = dpo.post(
        reverse("api:touchpoint-log"),
        json.dumps({"customer": world.helene.pk, "channel": "phone", "summary": "Appel"}),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["code"] == "read_only_role"
    assert response.json()["detail"] == "Votre rôle permet de consulter, pas d'enregistrer."


NAV_LINK = re.compile(r'<a class="(?:nav-link|dropdown-item)[^"]*" href="(/[^"#]*)"')


@pytest.mark.django_db
def test_the_navigation_offers_each_role_only_what_it_may_open(world):
    """The bar shows no door the role would find locked (a 403 after a click)."""
    locked = []
    for persona in world.users:
        client = client_for(world, persona)
        home = client.get(reverse("home"), follow=True)
        links = set(NAV_LINK.findall(home.content.decode()))
        for link in sorted(links):
            if link.startswith("/admin/"):
                continue
            if client.get(link).status_code == 403:
                locked.append(f"{persona}: {link}")
    assert locked == []
