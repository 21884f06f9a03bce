"""The screen pop: the card of a call for the agent it rings for (fetched by
static/js/live.js on the live events), and the exchange noted from it once the call ends.
A call is its agent's only: anyone else gets a 404."""

from django.db import DatabaseError
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from agences.decorators import workspace_required
from relation_client import extensions
from relation_client.customers.forms import TouchpointForm
from relation_client.customers.normalize import phone_display
from relation_client.customers.selectors import customers_by_phone
from relation_client.handlers import committed_anyway
from relation_client.privacy.models import AuditAction
from relation_client.privacy.services import audit_record
from relation_client.telephony.models import Call, CallState
from relation_client.telephony.services import call_exchange_log
from relation_client.touchpoints.models import Channel, Direction
from socle.errors import DomainError

# the exchange form of the screen pop: its fields must not clash with a touchpoint form
# of the page underneath (the customer page has one)
FORM_PREFIX = "appel"


def duration_words(seconds: int | None) -> str:
    """4 minutes 12 secondes; 1 heure 3 minutes; 45 secondes."""
    if seconds is None:
        return ""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    parts = []
    if hours:
        parts.append(ngettext("%(n)d heure", "%(n)d heures", hours) % {"n": hours})
    if minutes:
        parts.append(ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes})
    if secs and not hours:
        parts.append(ngettext("%(n)d seconde", "%(n)d secondes", secs) % {"n": secs})
    return " ".join(parts) or _("moins d'une seconde")


def _own_call(request, pk: int) -> Call:
    try:
        return Call.objects.select_related("customer", "callback").get(pk=pk, agent=request.agent)
    except Call.DoesNotExist:
        raise Http404 from None


def _form_panels(customer) -> dict:
    # what the customer page hands the same form: the satellites' fields depend on it
    panels = extensions.panels_for([customer.pk], place=extensions.CUSTOMER_PAGE)[customer.pk]
    return extensions.panel_data(panels)


def _exchange_form(call: Call, data=None) -> TouchpointForm:
    initial = None
    if data is None:
        duration = duration_words(call.duration_seconds)
        moment = timezone.localtime(call.answered_at or call.started_at)
        initial = {
            "channel": Channel.PHONE,
            "direction": Direction.INBOUND,
            "summary": (_("Appel de %(duration)s. ") % {"duration": duration}) if duration else "",
            # what the datetime-local input reads
            "occurred_at": moment.strftime("%Y-%m-%dT%H:%M"),
        }
    return TouchpointForm(
        data, initial=initial, prefix=FORM_PREFIX, panels=_form_panels(call.customer)
    )


def _may_note(call: Call) -> bool:
    return call.state == CallState.ENDED and call.touchpoint_id is None and call.customer_id


@workspace_required
@require_GET
def call_card(request, pk: int):
    """The caller card of the call (as the incoming-call page shows a number's people),
    its state, and once it ended the exchange form, filled in."""
    call = _own_call(request, pk)
    matches = customers_by_phone(raw=call.caller_e164) if call.caller_e164 else []
    if call.customer_id:
        matches = [m for m in matches if m.customer.pk == call.customer_id] or matches
    ids = [m.customer.pk for m in matches]
    audit_record(
        user=request.user,
        action=AuditAction.VIEW,
        channel="page",
        customer_ids=ids,
        code="audit.incoming_call",
    )
    number = call.caller_e164 or call.caller_number
    context = {
        "call": call,
        "matches": matches,
        "panels": extensions.panels_for(ids, place=extensions.CALLER_CARD),
        "display": phone_display(call.caller_e164) if call.caller_e164 else call.caller_number,
        "create_url": f"{reverse('customers:create')}?{urlencode({'phones': number})}"
        if number
        else reverse("customers:create"),
        "duration": duration_words(call.duration_seconds),
        "form": _exchange_form(call) if _may_note(call) else None,
    }
    return render(request, "telephony/partials/_call_card.html", context)


@workspace_required
@require_http_methods(["GET", "POST"])
def call_exchange(request, pk: int):
    """The ended call's exchange: the form (GET, what the card shows), or saved (POST,
    Ctrl+Enter in the screen pop) through touchpoint_log, linked to the call."""
    call = _own_call(request, pk)
    if not _may_note(call):
        return render(request, "telephony/partials/_call_exchange_closed.html", {"call": call})
    if request.method == "GET":
        return render(
            request,
            "telephony/partials/_call_exchange.html",
            {"call": call, "form": _exchange_form(call)},
        )
    form = _exchange_form(call, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            touchpoint = call_exchange_log(
                call=call,
                agent=request.agent,
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
            field = error.field if error.field in form.fields else None
            form.add_error(field, str(error))
        else:
            try:
                return render(
                    request,
                    "telephony/partials/_call_logged.html",
                    {"call": call, "touchpoint": touchpoint},
                )
            except DatabaseError:
                # committed: a 500 now would have the agent note the call twice
                return committed_anyway(
                    request,
                    url=call.customer.get_absolute_url(),
                    message=_("Échange enregistré."),
                )
    return render(
        request,
        "telephony/partials/_call_exchange.html",
        {"call": call, "form": form},
        status=422,
    )
