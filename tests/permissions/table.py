"""Who may open what: every page and API endpoint tried with every role, allowed and refused.

The table below has one row per URL pattern of the project (admin, i18n and the API
schema and docs aside; a page of local work has two, with DEBUG and without);
`test_the_table_covers_every_url` (test_url_sweep.py) fails when a page is added
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
- partenaire: only the partner space, with the requests escalated to their partner and
  the academy's sessions they are invited to (the academy sends them there); any other
  page is a 403, their home redirects to the partner space.

The API accepts session authentication (REST_FRAMEWORK's SessionAuthentication): what a
signed-in user reaches through the browser is tested with the same roles, and tokens are
tested against their scopes (a token lacking the method's scope: 403 insufficient_scope).
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from agences import roles
from relation_client.messaging.unsubscribe import unsubscribe_token
from relation_client.quality.models import Sample

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
# the live event stream (/direct/) never ends: the table's test client would wait on it
# forever. tests/live/test_stream.py tries it under uvicorn: an agent gets in, anonymous
# visitors get a 401, a partner's person a 403.
SKIPPED_NAMES = {"api-schema", "api-docs", "live:stream"}


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
    settings: dict = field(default_factory=dict)  # tried under these settings (DEBUG…)

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


def helene_unsubscribe(w, persona):
    token = unsubscribe_token(customer_id=w.helene.pk, channel="email", purpose="marketing")
    return {"token": token}


def own_alert(w, persona):
    holder = w.staff.get(persona) or w.staff[AGENT]
    return {"pk": w.alerts[holder.pk].pk}


def own_call(w, persona):
    """An ended call of the world's agent with Hélène, not yet noted (made on first use):
    the agent's own; anyone else's 404."""
    from relation_client.telephony.models import Call

    now = timezone.now()
    call, _created = Call.objects.get_or_create(
        call_id="permissions.1",
        defaults={
            "caller_number": "0612345678",
            "caller_e164": "+33612345678",
            "customer": w.helene,
            "agent": w.staff[AGENT],
            "extension": "2104",
            "state": "ended",
            "started_at": now - datetime.timedelta(minutes=6),
            "answered_at": now - datetime.timedelta(minutes=5),
            "ended_at": now - datetime.timedelta(minutes=1),
        },
    )
    return {"pk": call.pk}


def a_disruption(w, persona):
    """A disruption of the tram line T1 entered by staff (made on first use)."""
    from relation_client.network.models import Disruption, DisruptionSource, Line, TransportMode

    line, _created = Line.objects.get_or_create(
        gtfs_id="T1",
        defaults={
            "short_name": "T1",
            "long_name": "Perrache – IUT Feyssine",
            "mode": TransportMode.TRAM,
        },
    )
    disruption, created = Disruption.objects.get_or_create(
        header="Tram T1 interrompu entre Perrache et Part-Dieu",
        defaults={"source": DisruptionSource.STAFF, "starts_at": timezone.now()},
    )
    if created:
        disruption.lines.add(line)
    return {"pk": disruption.pk}


def _lyon_sample(w):
    """A sample of Lyon holding the world's request (made on first use)."""
    sample, created = Sample.objects.get_or_create(
        agency=w.lyon,
        week=datetime.date(2026, 1, 5),
        defaults={
            "seed": "agence-lyon-2026-W02",
            "size": 10,
            "closed_count": 1,
            "drawn_at": timezone.now(),
        },
    )
    if created:
        sample.items.create(request=w.request, position=1, deadline_kept_data=True)
    return sample


NOT_THEIRS = {SUPERVISOR: MISSING, MANAGER: MISSING, DIRECTOR: MISSING, ADMIN: MISSING}

ROWS = [
    # --- the front door ---------------------------------------------------------------
    Row("home", SIGNED_IN),
    Row("login", PUBLIC),
    Row("logout", PUBLIC, method="post", public_outcome=LOGIN, note="signs out, back to login"),
    Row("health", PUBLIC),
    Row("contact:form", PUBLIC, note="the public's contact form: no login"),
    Row(
        "contact:form",
        PUBLIC,
        method="post",
        note="sent empty: the form's own refusal (400), nothing stored",
    ),
    Row("contact:thanks", PUBLIC, note="without a valid link: the thanks, no reference"),
    # the unsubscribe link of campaign mails and survey invitations: the token is the key
    Row("unsubscribe", PUBLIC, kwargs=helene_unsubscribe, note="opening it changes nothing"),
    Row(
        "unsubscribe",
        PUBLIC,
        method="post",
        kwargs=helene_unsubscribe,
        note="withdraws the consent the link names, then shows the page again",
    ),
    Row(
        "unsubscribe",
        PUBLIC,
        kwargs=lambda w, persona: {"token": "lien-inconnu"},
        public_outcome=MISSING,
        note="a forged or truncated link is a 404 for everyone",
    ),
    Row("admin_login", PUBLIC, note="the admin's login, braked like the staff login"),
    Row(
        "sms_inbound",
        PUBLIC,
        method="post",
        public_outcome=LOGIN,
        note="the SMS provider's call (STOP), by its shared token: anyone else, signed in "
        "or not, gets a 401",
    ),
    # --- accounts: passwords, second factor, the session --------------------------------
    Row("password_change", SIGNED_IN),
    Row("password_change_done", SIGNED_IN),
    Row("password_reset", PUBLIC),
    Row("password_reset_done", PUBLIC),
    Row(
        "password_reset_confirm",
        PUBLIC,
        kwargs=lambda w, persona: {"uidb64": "MTIzNDU", "token": "perime"},
        note="an invalid link: the page says so to everyone",
    ),
    Row("password_reset_complete", PUBLIC),
    Row("otp_setup", SIGNED_IN),
    Row("otp_verify", SIGNED_IN, note="without a device: sent on to the setup page"),
    Row("session_keepalive", SIGNED_IN, method="post"),
    # --- customers ---------------------------------------------------------------------
    Row("customers:search", STAFF, query={"q": "Dupont"}),
    Row("customers:incoming_call", STAFF, query={"phone": "06 12 34 56 78"}),
    Row("customers:create", WORKSPACE),
    Row("customers:merge", FIGURES, note="agences.merge_customers: supervisors and up"),
    Row("customers:merge_undo", FIGURES, method="post", kwargs=pk("merge")),
    Row("customers:detail", STAFF, kwargs=pk("helene")),
    Row("customers:edit", WORKSPACE, kwargs=pk("helene"), note="who creates customers edits them"),
    Row("customers:timeline", STAFF, kwargs=pk("helene")),
    Row("customers:log_touchpoint", WORKSPACE, method="post", kwargs=pk("helene")),
    Row("customers:handover", WORKSPACE, method="post", kwargs=pk("helene")),
    Row("customers:consent_change", STAFF, method="post", kwargs=pk("helene")),
    # --- the screen pop of a call: its agent's only --------------------------------------
    Row(
        "telephony:call_card",
        {AGENT},
        kwargs=own_call,
        overrides=NOT_THEIRS,
        note="the call's agent; another's call is a 404, the DPO has no calls (403)",
    ),
    Row(
        "telephony:call_exchange",
        {AGENT},
        method="post",
        kwargs=own_call,
        overrides=NOT_THEIRS,
        note="empty: the form's 422",
    ),
    # --- requests, alerts, gestures (the agency's workspace) -----------------------------
    Row("touchpoints:queue", WORKSPACE),
    Row(
        "touchpoints:queue_bulk",
        WORKSPACE,
        method="post",
        note="several requests at once from the queue; sent empty: the form's 400",
    ),
    Row("touchpoints:request_detail", WORKSPACE, kwargs=pk("request")),
    Row(
        "touchpoints:request_presence",
        WORKSPACE,
        method="post",
        kwargs=pk("request"),
        note="the request page's heartbeat: who else has it open",
    ),
    Row("touchpoints:request_presence_leave", WORKSPACE, method="post", kwargs=pk("request")),
    # --- the network's disruptions (relation_client/network) ------------------------------
    Row("network:disruptions", WORKSPACE),
    Row("network:disruption", WORKSPACE, kwargs=a_disruption),
    Row("network:disruption_new", FIGURES),
    Row("network:disruption_warn", FIGURES, method="post", kwargs=a_disruption),
    Row("network:customer_lines", WORKSPACE, kwargs=pk("helene"), note="lines declared"),
    Row("touchpoints:request_answer", WORKSPACE, method="post", kwargs=pk("request")),
    Row("touchpoints:request_wait", WORKSPACE, method="post", kwargs=pk("request")),
    Row("touchpoints:request_resume", WORKSPACE, method="post", kwargs=pk("request")),
    Row("touchpoints:request_close", WORKSPACE, method="post", kwargs=pk("request")),
    Row("touchpoints:request_reopen", WORKSPACE, method="post", kwargs=pk("request")),
    Row("touchpoints:request_escalate", WORKSPACE, method="post", kwargs=pk("request")),
    Row("touchpoints:request_attach", WORKSPACE, method="post", kwargs=pk("request")),
    Row("touchpoints:request_reassign", FIGURES, method="post", kwargs=pk("request")),
    Row("touchpoints:request_hint", WORKSPACE, query={"reason": "complaint"}),
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
    Row("touchpoints:walkin_list", WORKSPACE),
    Row("touchpoints:walkin_log", WORKSPACE, method="post", note="empty: the form's 422"),
    Row("touchpoints:walkin_detail", WORKSPACE, kwargs=pk("walkin")),
    Row("touchpoints:walkin_attach", WORKSPACE, method="post", kwargs=pk("walkin")),
    Row("touchpoints:walkin_customer_create", WORKSPACE, method="post", kwargs=pk("walkin")),
    # --- the answer by e-mail on a request, the canned answers ----------------------------
    Row(
        "answers:send", WORKSPACE, method="post", kwargs=pk("request"), note="empty: the form's 400"
    ),
    Row("answers:sent_messages", WORKSPACE, kwargs=pk("request")),
    Row(
        "answers:message_retry",
        WORKSPACE,
        method="post",
        kwargs=pk("outbound"),
        note="a failed answer on Lyon's request: sent back once, then nothing to retry (400)",
    ),
    Row(
        "answers:template_picker",
        WORKSPACE,
        kwargs=lambda w, persona: {"request_pk": w.request.pk},
        query={"q": "carte"},
    ),
    Row(
        "answers:template_list",
        FIGURES,
        note="messaging.change_answertemplate (MANAGE_ANSWER_TEMPLATES): supervisors and up",
    ),
    Row("answers:template_create", FIGURES),
    Row("answers:template_edit", FIGURES, kwargs=pk("answer_template")),
    Row("answers:template_deactivate", FIGURES, method="post", kwargs=pk("answer_template")),
    # --- received messages (the agency's mailboxes and the network's) --------------------
    Row("messaging:waiting_list", WORKSPACE),
    Row("messaging:detail", WORKSPACE, kwargs=pk("message")),
    Row(
        "messaging:attach",
        WORKSPACE,
        method="post",
        kwargs=pk("message"),
        note="empty: no customer chosen, the page's 422",
    ),
    Row(
        "messaging:customer_create",
        WORKSPACE,
        method="post",
        kwargs=pk("message"),
        note="empty: the form's 422",
    ),
    Row(
        "messaging:attachment",
        WORKSPACE,
        kwargs=lambda w, persona: {"pk": w.message.pk, "attachment": w.message_attachment.pk},
    ),
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
    # --- control by sampling: supervisors and up, their own agency's samples ------------
    Row("quality:index", FIGURES),
    Row("quality:draw", FIGURES, method="post"),
    Row("quality:results", FIGURES, note="per team and per segment, never per agent"),
    Row("quality:sample", FIGURES, kwargs=lambda w, persona: {"pk": _lyon_sample(w).pk}),
    Row(
        "quality:review",
        FIGURES,
        kwargs=lambda w, persona: {"pk": _lyon_sample(w).items.get().pk},
    ),
    Row(
        "quality:improve",
        STEERING,
        method="post",
        kwargs=lambda w, persona: {"pk": _lyon_sample(w).items.get().pk},
        note="writes a decision of the cycle: who steers it",
    ),
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
    Row(
        "agences:academy",
        SIGNED_IN,
        note="partner staff are sent to the sessions they are invited to",
    ),
    Row("agences:partner_trainings", {PARTNER}),
    Row(
        "agences:partner_training_reply",
        {PARTNER},
        method="post",
        kwargs=pk("partner_attendance"),
    ),
    Row("agences:team_accounts", FIGURES, note="agences.unlock_agent: supervisors and up"),
    Row(
        "agences:account_unlock",
        FIGURES,
        method="post",
        kwargs=lambda w, persona: {"pk": w.staff[AGENT].pk},
    ),
    Row("agences:staff_changes", PRIVACY),
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
    # --- local work (DEBUG) ------------------------------------------------------------------
    Row(
        "dev_sent_mails",
        {ADMIN},
        settings={"DEBUG": True},
        note="the mails sent, for local work: administrators (and superusers) only",
    ),
    Row(
        "dev_sent_mails",
        {ADMIN},
        overrides=dict.fromkeys(PERSONAS, MISSING),
        note="without DEBUG the page does not exist, for anyone",
    ),
    # --- privacy ---------------------------------------------------------------------------
    Row("privacy:index", PRIVACY),
    Row("privacy:retention", PRIVACY),
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
    Row("reconquete:disruption_effect", FIGURES),
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
    Row(
        "reconquete:renewals",
        WORKSPACE,
        note="their subscribers; supervisors and up: their agency's",
    ),
    Row(
        "reconquete:renewal_call",
        WORKSPACE,
        method="post",
        kwargs=pk("subscription"),
        note="Hélène is Camille's, in Lyon: the agency's supervision may note the call too",
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
    Row(
        "satisfaction:compliment_list",
        WORKSPACE,
        note="the team's thanks: its agency's (the network direction: every agency's)",
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
    Row(
        "api:telephony-route",
        set(),
        query={"caller": "0612345678"},
        note="the phone system's token only: no person's session routes calls",
    ),
    Row("api:telephony-events", set(), method="post", data={}),
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
    ("get", "api:telephony-route"): "telephony",
    ("post", "api:telephony-events"): "telephony",
    ("post", "reconquete_api:ridership-bulk"): "ridership:write",
    ("post", "reconquete_api:subscriptions-bulk"): "ridership:write",
    ("post", "satisfaction_api:survey-answers"): "surveys:write",
}
