"""The agent's workspace: request queue and detail, alert inbox, gestures, identification.

Every page is for a signed-in member of an agency's team (not the data-protection
officer alone: `workspace_required`), and shows only their agency's data (another
agency's request, alert or gesture is a 404). The alert inbox is for every member of
staff with an agent profile: the DPO receives the retention alerts there.
"""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import DatabaseError
from django.db.models import Q
from django.http import Http404, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import localize
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agences.decorators import agent_required, workspace_required
from agences.models import Agency, Agent
from agences.permissions import APPROVE_GESTURE, APPROVE_OVER_BUDGET, VIEW_NETWORK_FIGURES
from agences.roles import roles_grant
from agences.sessions import session_passive
from relation_client import extensions
from relation_client.customers.models import Customer, Segment
from relation_client.handlers import committed_anyway
from relation_client.touchpoints import presence, selectors, services
from relation_client.touchpoints.forms import (
    ALL_AGENCIES,
    AgencyChoiceForm,
    AnswerForm,
    AttachForm,
    EscalateForm,
    GestureDecisionForm,
    GestureForm,
    QueueBulkForm,
    QueueFilterForm,
    ReassignForm,
    choices_frozen,
)
from relation_client.touchpoints.models import Gesture, GestureStatus, Request
from relation_client.touchpoints.services.requests import BULK_CLOSE, BULK_REASSIGN
from socle.errors import DomainError

PAGE_SIZE = 25


def _handing_the_agent(guard):
    def decorate(view):
        @guard
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            return view(request, request.agent, *args, **kwargs)

        return wrapper

    return decorate


# workspace_required and agent_required (agences.decorators), handing the agent to the view
workspace_agent = _handing_the_agent(workspace_required)
staff_agent = _handing_the_agent(agent_required)


def _form_error(form, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, str(error.message))


# --- Requests ------------------------------------------------------------------------


def _may_see_network(agent: Agent) -> bool:
    # from the role names loaded with the agent: no query
    return roles_grant(agent.role_names, VIEW_NETWORK_FIGURES)


def _queue_agency(params, agent: Agent, agencies: list[Agency] | None) -> Agency | None:
    """The agency whose queue is shown: the agent's own; for the network roles (who get
    the list of `agencies`), the one chosen in `agence`, or None for every agency
    (ALL_AGENCIES). Anyone else asking for another agency's queue is refused."""
    chosen = params.get("agence")
    if chosen in (None, "", str(agent.agency_id)):
        return agent.agency
    if agencies is None:
        raise PermissionDenied(_("Vous ne voyez que les demandes de votre agence."))
    if chosen == ALL_AGENCIES:
        return None
    found = next((agency for agency in agencies if str(agency.pk) == chosen), None)
    if found is None:
        raise Http404(_("Aucune agence ne porte ce numéro."))
    return found


def _queue_context(request, agent: Agent, params, **extra) -> dict:
    """The queue page: its filters (from `params`, the query string), the page of
    requests, the bulk form. A bounded number of queries whatever the page size: the
    segments, the agents (the filter's colleagues and the bulk form's targets), the
    agencies for the network roles, the count and the page of requests."""
    agencies = list(Agency.objects.order_by("name")) if _may_see_network(agent) else None
    shown_agency = _queue_agency(params, agent, agencies)
    agency_id = shown_agency.pk if shown_agency else None
    agents = list(selectors.queue_assignees())
    colleagues = [a for a in agents if agency_id is None or a.agency_id == agency_id]
    form = QueueFilterForm(
        params or None,
        segments=list(Segment.objects.order_by("priority", "name")),
        agents=colleagues,
        agencies=agencies,
        agent=agent,
    )
    filters = form.filters()
    requests = selectors.request_queue(agency_id=agency_id, agent=agent, filters=filters)
    page = Paginator(requests, PAGE_SIZE).get_page(params.get("page"))
    kept = params.copy()
    kept.pop("page", None)
    query = kept.urlencode()
    bulk_form = extra.pop("bulk_form", None) or QueueBulkForm(
        agents=agents, agent=agent, initial={"retour": query}
    )
    return {
        "agent": agent,
        "form": form,
        "page": page,
        "query": query,
        "page_extra": f"&{query}" if query else "",
        "shown_agency": shown_agency,
        "all_agencies": agency_id is None,
        "searched_reference": selectors.reference_pk(filters.text),
        "filtered": any(
            [
                filters.statuses,
                filters.channel,
                filters.assignee,
                filters.overdue,
                filters.segment_id,
                filters.text,
            ]
        ),  # fmt: skip
        "bulk_form": bulk_form,
        "may_reassign": services.may_reassign(agent),
        "selected": set(bulk_form.data.getlist("demandes")) if bulk_form.is_bound else set(),
        "refused_by_pk": {r.pk: r.message for r in extra.get("refusals", [])},
        **extra,
    }


@require_GET
@workspace_agent
def queue(request, agent: Agent):
    return render(request, "touchpoints/queue.html", _queue_context(request, agent, request.GET))


def _bulk_done(action: str, done: list[Request], assignee: Agent | None) -> str:
    references = ", ".join(req.reference for req in done)
    count = len(done)
    if action == BULK_REASSIGN:
        return ngettext(
            "%(count)s demande réattribuée à %(name)s : %(references)s.",
            "%(count)s demandes réattribuées à %(name)s : %(references)s.",
            count,
        ) % {"count": count, "name": assignee.display_name, "references": references}
    if action == BULK_CLOSE:
        return ngettext(
            "%(count)s demande clôturée : %(references)s.",
            "%(count)s demandes clôturées : %(references)s.",
            count,
        ) % {"count": count, "references": references}
    return ngettext(
        "%(count)s demande mise en attente du client : %(references)s.",
        "%(count)s demandes mises en attente du client : %(references)s.",
        count,
    ) % {"count": count, "references": references}


@require_POST
@workspace_agent
def queue_bulk(request, agent: Agent):
    """The action chosen for the requests ticked in the queue, all or nothing; back to
    the same filtered queue with a summary, or the queue again with what refused."""
    agents = list(selectors.queue_assignees())
    form = QueueBulkForm(request.POST, agents=agents, agent=agent)
    back = QueryDict(request.POST.get("retour", ""), mutable=True)
    if form.is_valid():
        action = form.cleaned_data["action"]
        if action == BULK_REASSIGN and not services.may_reassign(agent):
            raise PermissionDenied(_("Seul un superviseur peut réattribuer une demande."))
        try:
            done = services.requests_bulk(
                request_ids=form.cleaned_data["demandes"],
                action=action,
                by=agent,
                assignee=form.assignee,
            )
        except services.BulkRefused as refused:
            context = _queue_context(
                request, agent, back, bulk_form=form, refused=refused, refusals=refused.refusals
            )
            return render(request, "touchpoints/queue.html", context, status=400)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _bulk_done(action, done, form.assignee))
            back.pop("page", None)
            url = reverse("touchpoints:queue")
            return redirect(f"{url}?{back.urlencode()}" if back else url)
    context = _queue_context(request, agent, back, bulk_form=form)
    return render(request, "touchpoints/queue.html", context, status=400)


def _request_or_404(agent: Agent, pk: int) -> Request:
    found = selectors.request_for_agent(agent=agent, pk=pk)
    if found is None:
        raise Http404(_("Aucune demande de votre agence ou à votre nom ne porte ce numéro."))
    return found


def _render_request(request, agent: Agent, pk: int, *, status: int = 200, notice="", **forms):
    """The request page, or only its panel for htmx; `forms` keeps bound forms with errors."""
    req = _request_or_404(agent, pk)
    escalate_form = forms.get("escalate_form") or EscalateForm(request=req)
    attach_form = forms.get("attach_form") or AttachForm(request=req)
    reassign_form = None
    if req.is_open and services.may_reassign(agent):
        reassign_form = forms.get("reassign_form") or ReassignForm(request=req)
        choices_frozen(reassign_form, "assignee")
        choices_frozen(reassign_form, "agency")
    context = {
        "req": req,
        "reassign_form": reassign_form,
        "touchpoints": list(req.touchpoints.all()),
        "answer_form": forms.get("answer_form") or AnswerForm(request=req),
        "escalate_form": escalate_form,
        "attach_form": attach_form,
        # options listed only for an open request, where the forms show
        "partner_count": choices_frozen(escalate_form, "partner") if req.is_open else 0,
        "attachable_count": (
            choices_frozen(attach_form, "touchpoint") if req.is_open and req.customer_id else 0
        ),
        "error": forms.get("error", ""),
        "notice": notice,
        # sections other apps add (relation_client.extensions.request_panels)
        "panels": extensions.request_panels_for(request=req, agent=agent, forms=forms),
    }
    if request.htmx:
        # htmx swaps 2xx answers only: errors come back as 200 with the message inside
        return render(request, "touchpoints/partials/_request_panel.html", context)
    # the page opens: the others who have it open are named at once, and told
    context["presence_text"] = presence.request_presence_mark(request_id=req.pk, agent=agent)
    context["presence_every"] = presence.HEARTBEAT_SECONDS
    return render(request, "touchpoints/request_detail.html", context, status=status)


@require_GET
@workspace_agent
def request_detail(request, agent: Agent, pk: int):
    return _render_request(request, agent, pk)


def _workable_or_404(agent: Agent, pk: int) -> None:
    # the request page's own rule (requests_workable), without loading the request
    if not selectors.requests_workable(agent=agent).filter(pk=pk).exists():
        raise Http404(_("Aucune demande de votre agence ou à votre nom ne porte ce numéro."))


@session_passive  # the page's heartbeat is not the agent at work
@require_POST
@workspace_agent
def request_presence(request, agent: Agent, pk: int):
    """The request page's heartbeat (static/js/presence.js): the agent still has it open;
    answers who else does, as the sentence the page shows."""
    _workable_or_404(agent, pk)
    return JsonResponse({"text": presence.request_presence_mark(request_id=pk, agent=agent)})


@session_passive
@require_POST
@workspace_agent
def request_presence_leave(request, agent: Agent, pk: int):
    """The request page was left (closed, hidden, another page): sent as a beacon."""
    _workable_or_404(agent, pk)
    presence.request_presence_leave(request_id=pk, agent=agent)
    return HttpResponse(status=204)


def _after_action(request, agent: Agent, pk: int, done: str):
    if request.htmx:
        try:
            return _render_request(request, agent, pk, notice=done)
        except DatabaseError:
            # committed: a 500 now would have the agent do it twice
            return committed_anyway(
                request, url=reverse("touchpoints:request_detail", args=[pk]), message=done
            )
    messages.success(request, done)
    return redirect("touchpoints:request_detail", pk=pk)


# for the views of other apps acting on a request (the answer by e-mail): the request
# page, or its panel for htmx, after a refusal (`forms` by name) or a success
request_page = _render_request
request_page_after_action = _after_action


def _transition(service, done: str):
    """A view running one lifecycle service with no input but the button."""

    @require_POST
    @workspace_agent
    def view(request, agent: Agent, pk: int):
        req = get_object_or_404(selectors.requests_workable(agent=agent), pk=pk)
        try:
            service(request=req, by=agent)
        except DomainError as error:
            return _render_request(request, agent, pk, status=400, error=str(error.message))
        return _after_action(request, agent, pk, done)

    return view


request_wait = _transition(
    services.request_wait_customer, gettext_lazy("Demande en attente du client.")
)
request_resume = _transition(
    services.request_resume,
    gettext_lazy("Demande reprise : l'échéance est repoussée de l'attente."),
)
request_close = _transition(services.request_close, gettext_lazy("Demande clôturée."))
request_reopen = _transition(services.request_reopen, gettext_lazy("Demande rouverte."))


@require_POST
@workspace_agent
def request_answer(request, agent: Agent, pk: int):
    req = get_object_or_404(selectors.requests_workable(agent=agent), pk=pk)
    form = AnswerForm(request.POST, request=req)
    if form.is_valid():
        try:
            services.request_answer(request=req, by=agent, note=form.cleaned_data["note"])
        except DomainError as error:
            _form_error(form, error)
        else:
            return _after_action(request, agent, pk, _("Demande marquée comme répondue."))
    return _render_request(request, agent, pk, status=400, answer_form=form)


@require_POST
@workspace_agent
def request_escalate(request, agent: Agent, pk: int):
    req = get_object_or_404(selectors.requests_workable(agent=agent), pk=pk)
    form = EscalateForm(request.POST, request=req)
    if form.is_valid():
        try:
            services.request_escalate(
                request=req,
                partner=form.cleaned_data["partner"],
                note=form.cleaned_data["note"],
                by=agent,
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            return _after_action(request, agent, pk, _("Demande transmise au partenaire."))
    return _render_request(request, agent, pk, status=400, escalate_form=form)


@require_POST
@workspace_agent
def request_attach(request, agent: Agent, pk: int):
    req = get_object_or_404(selectors.requests_workable(agent=agent), pk=pk)
    form = AttachForm(request.POST, request=req)
    if form.is_valid():
        try:
            services.request_attach_touchpoint(
                request=req, touchpoint=form.cleaned_data["touchpoint"], by=agent
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            return _after_action(request, agent, pk, _("Contact rattaché à la demande."))
    return _render_request(request, agent, pk, status=400, attach_form=form)


@require_POST
@workspace_agent
def request_reassign(request, agent: Agent, pk: int):
    if not services.may_reassign(agent):
        raise PermissionDenied(_("Seul un superviseur peut réattribuer une demande."))
    req = get_object_or_404(selectors.requests_workable(agent=agent), pk=pk)
    form = ReassignForm(request.POST, request=req)
    if form.is_valid():
        try:
            touchpoint = services.request_reassign(
                request=req,
                by=agent,
                assignee=form.cleaned_data["assignee"],
                agency=form.cleaned_data["agency"],
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            if not selectors.requests_workable(agent=agent).filter(pk=pk).exists():
                # handed to another agency's queue: no longer this supervisor's to see
                messages.success(request, touchpoint.summary)
                return redirect("touchpoints:queue")
            return _after_action(request, agent, pk, touchpoint.summary)
    return _render_request(request, agent, pk, status=400, reassign_form=form)


# --- Alerts --------------------------------------------------------------------------


@require_GET
@staff_agent
def alerts(request, agent: Agent):
    page = Paginator(selectors.alert_inbox(agent=agent), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "touchpoints/alerts.html", {"page": page})


def _alert_action(service, done: str):
    @require_POST
    @staff_agent
    def view(request, agent: Agent, pk: int):
        # only the recipient may act: anyone else is told the alert does not exist
        alert = selectors.alert_for_recipient(agent=agent, pk=pk)
        if alert is None:
            raise Http404(_("Aucune alerte ne vous est adressée sous ce numéro."))
        error = ""
        try:
            alert = service(alert=alert, by=agent)
        except DomainError as exc:
            error = str(exc.message)
        if request.htmx:
            response = render(
                request,
                "touchpoints/partials/_alert.html",
                {"alert": alert, "error": error, "notice": "" if error else done},
            )
            # lets the navigation bar refresh its count
            response["HX-Trigger"] = "alertsChanged"
            return response
        if error:
            messages.error(request, error)
        else:
            messages.success(request, done)
        return redirect("touchpoints:alerts")

    return view


alert_acknowledge = _alert_action(
    services.alert_acknowledge, gettext_lazy("Alerte prise en compte.")
)
alert_resolve = _alert_action(services.alert_resolve, gettext_lazy("Alerte résolue."))


# --- Gestures ------------------------------------------------------------------------


@require_GET
@workspace_agent
def gestures(request, agent: Agent):
    can_approve = request.user.has_perm(APPROVE_GESTURE)
    context = {
        "agency": agent.agency,
        "budget": selectors.gesture_budget(agency=agent.agency),
        "pending": selectors.gestures_pending(agency_id=agent.agency_id, recipient=agent),
        "month_gestures": selectors.gestures_of_month(agency_id=agent.agency_id),
        "can_approve": can_approve,
        "can_approve_over_budget": request.user.has_perm(APPROVE_OVER_BUDGET),
        "agent": agent,
    }
    return render(request, "touchpoints/gestures.html", context)


@require_http_methods(["GET", "POST"])
@workspace_agent
def gesture_grant(request, agent: Agent, customer_id: int):
    customer = get_object_or_404(Customer, pk=customer_id)
    form = GestureForm(request.POST or None, customer_id=customer.pk)
    granted = None
    if request.method == "POST" and form.is_valid():
        try:
            granted = services.gesture_grant(customer=customer, agent=agent, **form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            if not request.htmx:
                messages.success(request, _gesture_notice(granted))
                return redirect(customer.get_absolute_url())
            form = GestureForm(customer_id=customer.pk)
    context = {
        "customer": customer,
        "form": form,
        "notice": _gesture_notice(granted) if granted else "",
    }
    status = 400 if form.errors and not request.htmx else 200
    template = (
        "touchpoints/partials/_gesture_form.html"
        if request.htmx
        else "touchpoints/gesture_grant.html"
    )
    response = render(request, template, context, status=status)
    if granted:
        # the customer page may refresh its timeline on this event
        response["HX-Trigger"] = "gestureGranted"
    return response


def _gesture_notice(gesture) -> str:
    if gesture.status == GestureStatus.PENDING and gesture.over_budget:
        return _(
            "Geste de %(value)s € enregistré : il dépasserait le budget du mois de l'agence "
            "et attend l'approbation du manager."
        ) % {"value": localize(gesture.value)}
    if gesture.status == GestureStatus.PENDING:
        return _(
            "Geste de %(value)s € enregistré : il dépasse votre plafond et attend "
            "l'approbation d'un superviseur."
        ) % {"value": localize(gesture.value)}
    return _("Geste de %(value)s € accordé.") % {"value": localize(gesture.value)}


@require_POST
@workspace_agent
def gesture_decide(request, agent: Agent, pk: int):
    if not request.user.has_perm(APPROVE_GESTURE):
        raise PermissionDenied(_("Seul un superviseur peut approuver un geste commercial."))
    # the agency's gestures, and those whose approval alert climbed to this agent
    pending = selectors.gestures_pending(agency_id=agent.agency_id, recipient=agent)
    gesture = get_object_or_404(
        Gesture.objects.filter(Q(agency_id=agent.agency_id) | Q(pk__in=pending.values("pk"))),
        pk=pk,
    )
    form = GestureDecisionForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Décision inconnue."), status=400)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        decided = services.gesture_decide(gesture=gesture, by=agent, approve=approve)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        if decided.status == GestureStatus.PENDING:
            messages.warning(
                request,
                _(
                    "Le budget du mois est atteint entre-temps : ce geste attend maintenant "
                    "l'approbation du manager."
                ),
            )
        else:
            messages.success(request, _("Geste approuvé.") if approve else _("Geste refusé."))
    return redirect("touchpoints:gestures")


# --- Identification rate ---------------------------------------------------------------


@require_GET
@workspace_agent
def identification(request, agent: Agent):
    network = request.user.has_perm(VIEW_NETWORK_FIGURES)
    agency = agent.agency
    form = None
    if network:
        form = AgencyChoiceForm(request.GET or None, initial={"agence": agency.pk})
        if form.is_valid():
            agency = form.cleaned_data["agence"]
    elif request.GET.get("agence") not in (None, "", str(agency.pk)):
        raise PermissionDenied(_("Vous ne voyez que les indicateurs de votre agence."))
    table = selectors.identification_rate(agency_id=agency.pk)
    return render(
        request,
        "touchpoints/identification.html",
        {"agency": agency, "form": form, "table": table},
    )
