from django.contrib import messages
from django.db import DatabaseError, transaction
from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agences.decorators import agent_required, workspace_required
from agences.roles import works_in_workspace
from relation_client import extensions
from relation_client.api.pagination import keyset_decode, keyset_encode
from relation_client.customers.consents import consent_record
from relation_client.customers.forms import (
    ConsentForm,
    CustomerForm,
    IncomingCallForm,
    TouchpointForm,
)
from relation_client.customers.models import (
    Consent,
    ConsentChannel,
    ConsentPurpose,
    Customer,
)
from relation_client.customers.normalize import phone_display, phone_try_normalize
from relation_client.customers.selectors import (
    agent_available_today,
    contact_points_of,
    customer_detail,
    customer_search_page,
    customers_by_phone,
    open_requests_of,
    timeline_page,
)
from relation_client.customers.services import (
    CustomerData,
    DuplicateSuspected,
    customer_create,
    customer_handover,
)
from relation_client.handlers import committed_anyway
from relation_client.privacy.models import AuditAction
from relation_client.privacy.reads import audit_list_read
from relation_client.privacy.services import audit_record
from relation_client.touchpoints.models import Channel
from relation_client.touchpoints.services import touchpoint_log
from socle.errors import DomainError
from socle.messages import render as message_render


def _encode_cursor(cursor) -> str | None:
    return keyset_encode(*cursor) if cursor else None


def _decode_cursor(raw: str | None):
    """The page's cursor (the API's keyset format); a tampered one is a 404."""
    if not raw:
        return None
    try:
        return keyset_decode(raw)
    except ValueError:
        raise Http404 from None


@agent_required
@require_GET
def search(request):
    query = request.GET.get("q", "").strip()
    context, status = {"query": query, "found": None}, 200
    try:
        if query:
            found = customer_search_page(query=query, page=request.GET.get("page"))
            context["found"] = found
            number = found.page.number
            audit_list_read(
                user=request.user,
                channel="page",
                shown=len(found.lines),
                query=query,
                page=str(number) if number > 1 else "",
            )
    except DomainError as error:
        # the text is not shown back: it is what was refused
        context.update(query="", error=str(error))
        status = 422
    if request.htmx:
        return render(request, "customers/partials/_search_results.html", context, status=status)
    return render(request, "customers/search.html", context, status=status)


@agent_required
@require_GET
def incoming_call(request):
    form = IncomingCallForm(request.GET)
    context = {"form": form, "phone": request.GET.get("phone", "")}
    if form.is_valid():
        raw = form.cleaned_data["phone"]
        normalized = phone_try_normalize(raw)
        context.update(
            normalized=normalized,
            display=phone_display(normalized) if normalized else raw,
            matches=customers_by_phone(raw=raw) if normalized else [],
            create_url=f"{reverse('customers:create')}?{urlencode({'phones': raw})}",
        )
        context["panels"] = extensions.panels_for(
            [m.customer.pk for m in context["matches"]], place=extensions.CALLER_CARD
        )
        audit_record(
            user=request.user,
            action=AuditAction.VIEW,
            channel="page",
            customer_ids=[m.customer.pk for m in context["matches"]],
            code="audit.incoming_call",
        )
    template = "customers/partials/_incoming_call.html"
    if request.htmx:
        return render(request, template, context)
    return render(request, "customers/incoming_call.html", context)


@workspace_required
@require_http_methods(["GET", "POST"])
def create(request):
    show_confirm = request.method == "POST" and "confirm_duplicate" in request.POST
    form = CustomerForm(
        request.POST or None, initial=request.GET.dict() or None, show_confirm=show_confirm
    )
    matches = []
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "confirm_duplicate"}
        try:
            customer = customer_create(
                data=CustomerData(**data), confirm_duplicate=form.cleaned_data["confirm_duplicate"]
            )
        except DuplicateSuspected as suspected:
            matches = suspected.matches
            form = CustomerForm(request.POST, show_confirm=True)
            form.is_valid()
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(request, _("Fiche de %(name)s créée.") % {"name": customer.salutation})
            return redirect(customer)
    return render(request, "customers/create.html", {"form": form, "matches": matches})


def _detail_context(
    request, customer: Customer, form: TouchpointForm | None = None, consent_form=None
) -> dict:
    rows, cursor = timeline_page(customer=customer)
    phones, emails = contact_points_of(customer)
    channel = request.GET.get("canal", Channel.PHONE)
    panels = extensions.panels_for([customer.pk], place=extensions.CUSTOMER_PAGE)[customer.pk]
    if form is None and works_in_workspace(request.agent.role_names):
        # only for the roles that may log an exchange (log_touchpoint's rule); the template
        # shows no form without one
        form = TouchpointForm(
            initial={"channel": channel if channel in Channel.values else Channel.PHONE},
            panels=extensions.panel_data(panels),
        )
    return {
        "panels": panels,
        "customer": customer,
        "phones": phones,
        "emails": emails,
        "identifiers": list(customer.identifiers.all()),
        "open_requests": customer.open_requests_list,
        "usual_contact_available": agent_available_today(customer.usual_contact),
        "timeline": rows,
        "next_cursor": _encode_cursor(cursor),
        "form": form,
        "is_usual_contact": customer.usual_contact_id == request.agent.pk,
        **_consent_context(customer, consent_form),
    }


@agent_required
@require_GET
def detail(request, pk: int):
    try:
        customer = customer_detail(customer_id=pk)
    except Customer.DoesNotExist:
        raise Http404 from None
    audit_record(
        user=request.user, action=AuditAction.VIEW, customer_ids=[customer.pk], channel="page"
    )
    return render(request, "customers/detail.html", _detail_context(request, customer))


@agent_required
@require_GET
def timeline(request, pk: int):
    customer = get_object_or_404(Customer, pk=pk)
    rows, cursor = timeline_page(customer=customer, before=_decode_cursor(request.GET.get("avant")))
    return render(
        request,
        "customers/partials/_timeline_page.html",
        {"customer": customer, "timeline": rows, "next_cursor": _encode_cursor(cursor)},
    )


@workspace_required
@require_POST
def log_touchpoint(request, pk: int):
    customer = get_object_or_404(Customer, pk=pk)
    panels = extensions.panel_data(
        extensions.panels_for([customer.pk], place=extensions.CUSTOMER_PAGE)[customer.pk]
    )
    form = TouchpointForm(request.POST, panels=panels)
    if form.is_valid():
        data = form.cleaned_data
        try:
            touchpoint = touchpoint_log(
                agent=request.agent,
                customer=customer,
                channel=data["channel"],
                direction=data["direction"],
                reason=data["reason"],
                summary=data["summary"],
                outcome=data["outcome"],
                mood=data["mood"],
                occurred_at=data["occurred_at"],
                open_request=data["open_request"],
                extra=form.extension_values(),
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            if request.htmx:
                try:
                    return render(
                        request,
                        "customers/partials/_touchpoint_logged.html",
                        {
                            "customer": customer,
                            "logged": [touchpoint],
                            "open_requests": open_requests_of(customer=customer),
                            "form": TouchpointForm(
                                initial={"channel": data["channel"]},
                                panels=panels,
                            ),
                        },
                    )
                except DatabaseError:
                    # committed: a 500 now would have the agent log the exchange twice
                    return committed_anyway(
                        request, url=customer.get_absolute_url(), message=_("Échange enregistré.")
                    )
            messages.success(request, _("Échange enregistré."))
            return redirect(customer)
    if request.htmx:
        return render(
            request,
            "customers/partials/_touchpoint_form.html",
            {"customer": customer, "form": form},
            status=422,
        )
    customer = customer_detail(customer_id=pk)
    return render(
        request, "customers/detail.html", _detail_context(request, customer, form), status=422
    )


@workspace_required
@require_POST
def handover(request, pk: int):
    customer = get_object_or_404(Customer.objects.select_related("usual_contact"), pk=pk)
    try:
        customer_handover(
            customer=customer,
            by=request.agent,
            channel=request.POST.get("channel", Channel.PHONE),
            note=request.POST.get("note", "")[:200],
        )
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(agent)s est prévenu(e) : %(customer)s lui est confié(e).")
            % {"agent": customer.usual_contact.display_name, "customer": customer.salutation},
        )
    return redirect(customer)


# --- Consent panel ---------------------------------------------------------------------

CONSENT_HISTORY = 20  # decisions listed on the page, newest first


def _consent_rows(customer: Customer) -> list[Consent]:
    """In one query: the latest decision of each (channel, purpose) pair — the current
    state — and the latest CONSENT_HISTORY decisions, whatever the history's length."""
    newest_first = [F("recorded_at").desc(), F("id").desc()]
    return list(
        Consent.objects.filter(customer=customer)
        .select_related("recorded_by")
        .annotate(
            pair_rank=Window(
                RowNumber(), partition_by=[F("channel"), F("purpose")], order_by=newest_first
            ),
            rank=Window(RowNumber(), order_by=newest_first),
        )
        .filter(Q(pair_rank=1) | Q(rank__lte=CONSENT_HISTORY + 1))
        .order_by(*newest_first)
    )


def _consent_context(customer: Customer, form: ConsentForm | None = None, notice: str = "") -> dict:
    rows = _consent_rows(customer)
    current = {(c.purpose, c.channel): c for c in rows if c.pair_rank == 1}
    return {
        "consent_table": [
            {
                "purpose": label,
                "channels": [
                    {"label": channel_label, "consent": current.get((purpose, channel))}
                    for channel, channel_label in ConsentChannel.choices
                ],
            }
            for purpose, label in ConsentPurpose.choices
        ],
        "consent_history": [c for c in rows if c.rank <= CONSENT_HISTORY],
        # one row past the page (rank CONSENT_HISTORY + 1) says older decisions exist
        "consent_more": any(c.rank == CONSENT_HISTORY + 1 for c in rows),
        "consent_form": form or ConsentForm(),
        "consent_notice": notice,
    }


def _consent_panel(request, customer: Customer, *, status: int = 200, **context):
    context = {"customer": customer, **_consent_context(customer, **context)}
    return render(request, "customers/partials/_consents.html", context, status=status)


@agent_required
@require_POST
def consent_change(request, pk: int):
    """Record a decision the customer tells an agent (appended: the history stays), and
    trace it in the audit trail; campaigns and surveys read the latest decision."""
    customer = get_object_or_404(Customer, pk=pk)
    form = ConsentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            # the decision and its audit row together, or neither
            with transaction.atomic():
                consent = consent_record(
                    customer=customer,
                    channel=data["channel"],
                    purpose=data["purpose"],
                    given=data["decision"],
                    source=data["source"],
                    by=request.agent,
                )
                what = {
                    "purpose": consent.purpose,
                    "channel": consent.channel,
                    "decision": consent.given,
                    "source": consent.source,
                }
                audit_record(
                    user=request.user,
                    action=AuditAction.CHANGE,
                    channel="page",
                    customer_ids=[customer.pk],
                    code="audit.consent",
                    params=what,
                )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            notice = _("Consentement enregistré : %(what)s.") % {
                "what": message_render("audit.consent", what)
            }
            if request.htmx:
                return _consent_panel(request, customer, notice=notice)
            messages.success(request, notice)
            return redirect(customer)
    if request.htmx:
        return _consent_panel(request, customer, form=form, status=422)
    context = _detail_context(request, customer_detail(customer_id=pk), consent_form=form)
    return render(request, "customers/detail.html", context, status=422)
