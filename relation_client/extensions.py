"""Every extension point of the core, in one module: read this to see how the satellites
(reconquete, satisfaction, and whatever comes next) plug in.

The core never imports a satellite. A satellite fills these points from its
`AppConfig.ready()`, the way pretix's plugins answer the signals of `pretix.base.signals`:

- `touchpoint_logged`: after a touchpoint is logged, in the same transaction.
  `func(touchpoint, *, extra)`: `extra` holds the values of the satellite's own fields of
  the touchpoint form (empty when the touchpoint came from the API or a channel).
  Anything to do after the commit is queued with `transaction.on_commit`.
- `customer_panels`: panels on the customer page and the caller card (a banner for a
  customer being won back, for instance). `CustomerPanel(name, load, template, places)`:
  `load(customer_ids) -> {customer_id: data}` in one query whatever the number of
  customers; the template is included with `data`.
- `request_panels`: sections of the request page, below its actions (the answer by
  e-mail and the messages sent, from the channels app). `RequestPanel(name, load,
  template)`: `load(*, request, agent, forms) -> data or None` for the one request shown
  to `agent` (None: nothing to show); `forms` holds the bound forms the page was
  re-rendered with after a refused input, by name. The template is included with `data`.
- `touchpoint_form_fields`: extra fields of the touchpoint form. `func(form, *, panels)`
  adds its fields to `form.fields` and returns the rows to append (`FormRow`s, laid out
  by templates/customers/partials/_touchpoint_fields.html); `panels` is what `customer_panels` loaded for the customer
  (`{panel name: data}`), so a field can depend on, say, an open reconquest case without
  another query. The field values reach `touchpoint_logged` in `extra`.
- `team_figures`: columns next to an agency team's figures (the academy page).
  `TeamFigures(name, load, template)`: `load(agencies=…, now=…) -> {"by_agency":
  {agency_id: data}, …}`; the template is included with `figures` and `data`.
- `customer_merged`: when two customer records are merged, in the merge's transaction,
  after the core moved its own rows. `func(*, survivor, absorbed, moved)`: the receiver
  moves every row of its own that belongs to `absorbed` over to `survivor` (nothing may
  be left for a cascade to destroy) and writes what it moved into `moved[its name]`
  (JSON: row ids, and what it changed), which the merge record keeps so the merge can be
  undone.
- `customer_merge_undone`: when a merge is undone, in the undo's transaction, after the
  core recreated the absorbed record and moved its own rows back. `func(*, survivor,
  absorbed, moved)`: `moved` is the whole record of the merge; the receiver reads
  `moved[its name]` and puts back what its `customer_merged` receiver moved or folded.
- `customer_activity`: what keeps a customer's data beyond the retention period besides
  their contacts (an active subscription, recent ridership…). `CustomerActivity(name,
  label, sql)`: `sql` selects `customer_id` of the customers with such activity since
  `%(since)s` (an aware datetime); the retention job keeps them and says why. `label`
  says what a customer the job anonymises lacks, with `%(since)s` the cutoff's date:
  "aucune validation depuis le %(since)s".
- indicators the loyalty cycle's controls can name: `register_indicator` (see
  `relation_client.cycle.indicators`).
- what a satellite holds about a customer, for the right of access and erasure:
  `register_exporter`, `register_eraser` (see `relation_client.privacy.registry`).

Demo and data-set generation is the layer above everything (`demo/`): it calls each
app's seed step directly and needs no extension point.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from relation_client.cycle.indicators import register as register_indicator
from relation_client.privacy.registry import register_eraser, register_exporter

CUSTOMER_PAGE = "customer_page"
CALLER_CARD = "caller_card"


class ExtensionPoint:
    """An ordered list of receivers. Registering the same receiver twice is harmless
    (ready() may run twice in tests); `order` puts a receiver before the others."""

    def __init__(self, name: str):
        self.name = name
        self._receivers: list[tuple[int, object]] = []

    def register(self, receiver, *, order: int = 100):
        if all(found is not receiver for _, found in self._receivers):
            self._receivers.append((order, receiver))
            self._receivers.sort(key=lambda pair: pair[0])
        return receiver

    def unregister(self, receiver) -> None:
        self._receivers = [(o, r) for o, r in self._receivers if r is not receiver]

    def __iter__(self) -> Iterator:
        return iter([receiver for _, receiver in self._receivers])

    def __repr__(self) -> str:
        return f"<ExtensionPoint {self.name}: {len(self._receivers)} receivers>"


@dataclass(frozen=True)
class CustomerPanel:
    name: str
    load: Callable[[list[int]], dict]
    template: str
    places: frozenset = field(default=frozenset({CUSTOMER_PAGE, CALLER_CARD}))


@dataclass(frozen=True)
class FormRow:
    """A row of the touchpoint form: its fields side by side from 768 px wide, as
    `(field name, Bootstrap column class)` pairs ("col-12" alone spans the row); a
    `legend` makes the row a fieldset with that title."""

    fields: tuple[tuple[str, str], ...]
    legend: str = ""


@dataclass(frozen=True)
class Panel:
    """One panel to show for one customer: the template and what it was loaded with."""

    name: str
    template: str
    data: object


@dataclass(frozen=True)
class RequestPanel:
    name: str
    load: Callable[..., object]
    template: str


@dataclass(frozen=True)
class TeamFigures:
    name: str
    load: Callable[..., dict]
    template: str


@dataclass(frozen=True)
class CustomerActivity:
    name: str
    label: object
    sql: str


touchpoint_logged = ExtensionPoint("touchpoint_logged")
customer_panels = ExtensionPoint("customer_panels")
request_panels = ExtensionPoint("request_panels")
touchpoint_form_fields = ExtensionPoint("touchpoint_form_fields")
team_figures = ExtensionPoint("team_figures")
customer_merged = ExtensionPoint("customer_merged")
customer_merge_undone = ExtensionPoint("customer_merge_undone")
customer_activity = ExtensionPoint("customer_activity")


def panels_for(customer_ids: list[int], *, place: str) -> dict[int, list[Panel]]:
    """The panels of each customer for this place: one query per panel kind."""
    panels: dict[int, list[Panel]] = {pk: [] for pk in customer_ids}
    if not customer_ids:
        return panels
    for kind in customer_panels:
        if place not in kind.places:
            continue
        for customer_id, data in kind.load(customer_ids).items():
            if data is not None and customer_id in panels:
                panels[customer_id].append(Panel(kind.name, kind.template, data))
    return panels


def request_panels_for(*, request, agent, forms: dict | None = None) -> list[Panel]:
    """The sections of one request's page, for the agent looking at it."""
    found = []
    for kind in request_panels:
        data = kind.load(request=request, agent=agent, forms=forms or {})
        if data is not None:
            found.append(Panel(kind.name, kind.template, data))
    return found


def panel_data(panels: list[Panel]) -> dict[str, object]:
    return {panel.name: panel.data for panel in panels}


__all__ = [
    "CALLER_CARD",
    "CUSTOMER_PAGE",
    "CustomerActivity",
    "CustomerPanel",
    "ExtensionPoint",
    "FormRow",
    "Panel",
    "RequestPanel",
    "TeamFigures",
    "customer_activity",
    "customer_merge_undone",
    "customer_merged",
    "customer_panels",
    "panel_data",
    "panels_for",
    "register_eraser",
    "register_exporter",
    "register_indicator",
    "request_panels",
    "request_panels_for",
    "team_figures",
    "touchpoint_form_fields",
    "touchpoint_logged",
]
