"""What the network adds to the core's extension points (relation_client.extensions):

- on the caller card and the customer page, the disruption the customer was probably
  caught in: one on a line they ride, under way or ended within CAUGHT_WITHIN, so that
  the agent starts with it ("ligne C3 perturbée ce matin, 7 h–9 h");
- on the customer page, the lines they ride and how we know it, with the link to declare
  their lines;
- on the touchpoint form, "Ligne citée": a line the customer names becomes a link
  (mentioned, occasional) when the touchpoint is logged.
"""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from crispy_forms.layout import Field
from django import forms
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from relation_client import extensions
from relation_client.network.models import CustomerLine, Line
from relation_client.network.riders import customer_line_mention

PARIS = ZoneInfo("Europe/Paris")
CAUGHT_WITHIN = datetime.timedelta(hours=24)
DISRUPTION = "network_disruption"
LINES = "network_lines"


@dataclass(frozen=True)
class CaughtIn:
    disruption_id: int
    line: str
    header: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime | None

    @property
    def summary(self) -> str:
        return disruption_summary(
            line=self.line, starts_at=self.starts_at, ends_at=self.ends_at, now=timezone.now()
        )


def _hour(moment: datetime.datetime) -> str:
    local = moment.astimezone(PARIS)
    return f"{local.hour} h" if not local.minute else f"{local.hour} h {local.minute:02d}"


def _when(moment: datetime.datetime, *, now: datetime.datetime) -> str:
    local, today = moment.astimezone(PARIS), now.astimezone(PARIS).date()
    if local.date() == today:
        if local.hour < 12:
            return _("ce matin")
        return _("cet après-midi") if local.hour < 18 else _("ce soir")
    if local.date() == today - datetime.timedelta(days=1):
        return _("hier")
    return _("le %(date)s") % {"date": local.strftime("%d/%m")}


def disruption_summary(
    *, line: str, starts_at: datetime.datetime, ends_at: datetime.datetime | None, now
) -> str:
    """ "ligne C3 perturbée ce matin, 7 h–9 h", "… depuis 7 h" while it lasts."""
    when = _when(starts_at, now=now)
    if ends_at is None or ends_at > now:
        span = _("depuis %(start)s") % {"start": _hour(starts_at)}
        if ends_at is not None:
            span = f"{_hour(starts_at)}–{_hour(ends_at)}"
    else:
        span = f"{_hour(starts_at)}–{_hour(ends_at)}"
    return _("ligne %(line)s perturbée %(when)s, %(span)s") % {
        "line": line,
        "when": when,
        "span": span,
    }


# the latest disruption per customer on a line they ride, started and not ended before the
# window; usual lines first
_CAUGHT_IN = """
    SELECT DISTINCT ON (cl.customer_id) cl.customer_id, d.id, l.short_name, d.header,
           d.starts_at, d.ends_at
    FROM network_customerline cl
    JOIN network_disruption_lines dl ON dl.line_id = cl.line_id
    JOIN network_disruption d ON d.id = dl.disruption_id
    JOIN network_line l ON l.id = cl.line_id
    WHERE cl.customer_id = ANY(%(ids)s) AND d.starts_at <= %(now)s
      AND (d.ends_at IS NULL OR d.ends_at >= %(since)s)
    ORDER BY cl.customer_id, d.starts_at DESC, (cl.strength = 'usual') DESC, l.short_name
"""


def caught_in_for(customer_ids: list[int], *, now: datetime.datetime | None = None) -> dict:
    """The disruption each of these customers was probably caught in: one query."""
    if not customer_ids:
        return {}
    now = now or timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            _CAUGHT_IN, {"ids": list(customer_ids), "now": now, "since": now - CAUGHT_WITHIN}
        )
        return {
            customer_id: CaughtIn(pk, line, header, starts_at, ends_at)
            for customer_id, pk, line, header, starts_at, ends_at in cursor.fetchall()
        }


def lines_for(customer_ids: list[int]) -> dict:
    """The lines each customer rides and how we know it (a panel for every customer: it
    holds the link to declare their lines): one query."""
    found: dict[int, list[CustomerLine]] = {pk: [] for pk in customer_ids}
    rows = (
        CustomerLine.objects.filter(customer_id__in=customer_ids)
        .select_related("line")
        .order_by("line__short_name", "source")
    )
    for link in rows:
        found[link.customer_id].append(link)
    return {
        customer_id: {"customer_id": customer_id, "links": links}
        for customer_id, links in found.items()
    }


DISRUPTION_PANEL = extensions.CustomerPanel(
    name=DISRUPTION, load=caught_in_for, template="network/partials/_caught_in_panel.html"
)
LINES_PANEL = extensions.CustomerPanel(
    name=LINES,
    load=lines_for,
    template="network/partials/_lines_panel.html",
    places=frozenset({extensions.CUSTOMER_PAGE}),
)


class MentionedLineField(forms.ModelChoiceField):
    def label_from_instance(self, line) -> str:
        return f"{line.short_name} — {line.long_name}" if line.long_name else line.short_name


def mentioned_line_field(form, *, panels: dict) -> list:
    form.fields["network_line"] = MentionedLineField(
        label=gettext_lazy("Ligne citée"),
        queryset=Line.objects.order_by("short_name"),
        required=False,
        empty_label=gettext_lazy("— aucune —"),
        help_text=gettext_lazy(
            "La ligne dont parle le client : il sera prévenu de ses perturbations s'il y consent."
        ),
    )
    return [Field("network_line")]


def mentioned_line_after(touchpoint, *, extra: dict) -> None:
    line = extra.get("network_line")
    if line is not None and touchpoint.customer_id:
        customer_line_mention(
            customer=touchpoint.customer,
            line=line,
            on=timezone.localdate(touchpoint.occurred_at),
        )


def register() -> None:
    extensions.customer_panels.register(DISRUPTION_PANEL, order=10)
    extensions.customer_panels.register(LINES_PANEL)
    extensions.touchpoint_form_fields.register(mentioned_line_field, order=30)
    extensions.touchpoint_logged.register(mentioned_line_after)
