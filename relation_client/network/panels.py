"""What the network adds to the core's extension points (relation_client.extensions):

- on the caller card and the customer page, the disruption the customer was probably
  caught in: one on a line they ride, under way or ended within the complaints' window (NETWORK_COMPLAINT_WINDOW_HOURS), so that
  the agent starts with it ("ligne C3 perturbée ce matin, 7 h–9 h");
- with it, the lines they ride and how we know it, with the link to declare their lines
  (one panel, one query);
- on the touchpoint form, "Ligne citée": a line the customer names becomes a link
  (mentioned, occasional) when the touchpoint is logged.
"""

import datetime
from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from relation_client import extensions
from relation_client.network.models import Line, RiderSource, RiderStrength
from relation_client.network.riders import customer_line_mention

NETWORK = "network"


def caught_within() -> datetime.timedelta:
    """How long after its end a disruption still explains a customer's call: the window
    complaints are linked in (complaints.py), one setting for both."""
    return datetime.timedelta(hours=settings.NETWORK_COMPLAINT_WINDOW_HOURS)


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
    local = timezone.localtime(moment)
    return f"{local.hour} h" if not local.minute else f"{local.hour} h {local.minute:02d}"


def _when(moment: datetime.datetime, *, now: datetime.datetime) -> str:
    local, today = timezone.localtime(moment), timezone.localtime(now).date()
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


@dataclass(frozen=True)
class RiderLink:
    line: str
    color: str
    text_color: str
    source: str
    strength: str
    validations: int
    seen_on: datetime.date

    @property
    def source_label(self) -> str:
        return RiderSource(self.source).label

    @property
    def strength_label(self) -> str:
        return RiderStrength(self.strength).label


@dataclass
class NetworkPanel:
    customer_id: int
    links: list = field(default_factory=list)
    caught_in: CaughtIn | None = None


# each line the customers ride, with the latest disruption of that line started by now and
# not ended before the window (LATERAL: one index probe per link)
_NETWORK = """
    SELECT cl.customer_id, l.short_name, l.color, l.text_color, cl.source, cl.strength,
           cl.validations, cl.seen_on, d.id, d.header, d.starts_at, d.ends_at
    FROM network_customerline cl
    JOIN network_line l ON l.id = cl.line_id
    LEFT JOIN LATERAL (
        SELECT d.id, d.header, d.starts_at, d.ends_at
        FROM network_disruption_lines dl
        JOIN network_disruption d ON d.id = dl.disruption_id
        WHERE dl.line_id = cl.line_id AND d.starts_at <= %(now)s
          AND (d.ends_at IS NULL OR d.ends_at >= %(since)s)
        ORDER BY d.starts_at DESC
        LIMIT 1
    ) d ON true
    WHERE cl.customer_id = ANY(%(ids)s)
    ORDER BY cl.customer_id, l.short_name, cl.source
"""


def network_for(customer_ids: list[int], *, now: datetime.datetime | None = None) -> dict:
    """For each customer: the lines they ride and how we know it, and the disruption they
    were probably caught in (the latest on one of their lines, usual lines first at equal
    start). One query; a panel for every customer (it holds the link to declare lines)."""
    if not customer_ids:
        return {}
    now = now or timezone.now()
    found = {pk: NetworkPanel(customer_id=pk) for pk in customer_ids}
    best: dict[int, tuple] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            _NETWORK, {"ids": list(customer_ids), "now": now, "since": now - caught_within()}
        )
        for (
            customer_id,
            line,
            color,
            text_color,
            source,
            strength,
            validations,
            seen_on,
            pk,
            header,
            starts_at,
            ends_at,
        ) in cursor.fetchall():
            panel = found[customer_id]
            panel.links.append(
                RiderLink(line, color, text_color, source, strength, validations, seen_on)
            )
            if pk is None:
                continue
            key = (starts_at, strength == RiderStrength.USUAL)
            if customer_id not in best or key > best[customer_id]:
                best[customer_id] = key
                panel.caught_in = CaughtIn(pk, line, header, starts_at, ends_at)
    return found


def caught_in_for(customer_ids: list[int], *, now: datetime.datetime | None = None) -> dict:
    """The disruption each of these customers was probably caught in (those with one)."""
    return {
        pk: panel.caught_in
        for pk, panel in network_for(customer_ids, now=now).items()
        if panel.caught_in is not None
    }


NETWORK_PANEL = extensions.CustomerPanel(
    name=NETWORK, load=network_for, template="network/partials/_network_panel.html"
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
    return [extensions.FormRow((("network_line", "col-12"),))]


def mentioned_line_after(touchpoint, *, extra: dict) -> None:
    line = extra.get("network_line")
    if line is not None and touchpoint.customer_id:
        customer_line_mention(
            customer=touchpoint.customer,
            line=line,
            on=timezone.localdate(touchpoint.occurred_at),
        )


def register() -> None:
    from relation_client.network.complaints import DISRUPTIONS_PANEL, complaint_after
    from relation_client.network.merges import network_merge, network_merge_undo

    # merges: every network row of the absorbed record moves, and moves back on undo
    extensions.customer_merged.register(network_merge)
    extensions.customer_merge_undone.register(network_merge_undo)
    extensions.customer_panels.register(NETWORK_PANEL, order=10)
    extensions.touchpoint_form_fields.register(mentioned_line_field, order=30)
    extensions.touchpoint_logged.register(mentioned_line_after)
    # complaints during a disruption, and the social-media alert (complaints.py)
    extensions.touchpoint_logged.register(complaint_after)
    extensions.request_panels.register(DISRUPTIONS_PANEL)
