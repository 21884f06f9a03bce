"""The reconquest dashboard (snapshot rows only) and the CSV exports of its tables; the
drill-downs are in dashboard_drilldown.py, the manager's buttons in dashboard_actions.py."""

import datetime
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from agences.decorators import workspace_required
from agences.models import Agency
from agences.permissions import MANAGE_CAMPAIGNS, VIEW_AGENCY_FIGURES, VIEW_NETWORK_FIGURES
from agences.staff_cache import STAFF_VERSION
from reconquete import selectors
from reconquete.forms import DashboardFilterForm
from reconquete.models import SnapshotDimension
from reconquete.services.indicators import SNAPSHOT_TOKEN
from socle.dates import date_text
from socle.spreadsheet import csv_response
from socle.versioned_cache import cached_under

TABLE_FIGURES = ["lost", "contacted", "reached", "won_back", "won_back_30", "won_back_90"]


@dataclass
class Scope:
    period: datetime.date
    agency: Agency | None
    network: bool  # the viewer may see every agency

    @property
    def agency_id(self) -> int | None:
        return self.agency.pk if self.agency else None


def viewer_scope(request, chosen_agency: Agency | None, period: datetime.date | None) -> Scope:
    """The network director chooses any agency (or the network); everyone else sees their
    own agency, and asking for another one is refused."""
    network = request.user.has_perm(VIEW_NETWORK_FIGURES)
    if network:
        agency = chosen_agency
    else:
        raw = request.GET.get("agence")
        if raw not in (None, "", str(request.agent.agency_id)):
            raise PermissionDenied(_("Vous ne voyez que les indicateurs de votre agence."))
        agency = request.agent.agency
    return Scope(period=period or default_period(), agency=agency, network=network)


def default_period() -> datetime.date:
    """The last complete month that has figures: the current one is still filling up."""
    this_month = timezone.localdate().replace(day=1)
    latest = selectors.latest_period() or this_month
    return min(latest, selectors.add_months(this_month, -1)) if latest >= this_month else latest


def month_param(value: datetime.date) -> str:
    return value.strftime("%Y-%m")


def drill_url(
    kind: str, *, scope: Scope, dimension: str, key: str, since=None, agency_id=None
) -> str:
    params = {"du": month_param(since or scope.period), "au": month_param(scope.period)}
    if dimension != SnapshotDimension.TOTAL:
        params.update(axe=dimension, cle=key)
    agency_id = agency_id or scope.agency_id
    if agency_id:
        params["agence"] = agency_id
    return f"{reverse('reconquete:drilldown', args=[kind])}?{urlencode(params)}"


# a drill-down link for each figure that has customers behind it (attribute of the row)
ROW_DRILLS = {
    "lost": "lost",
    "contacted": "contacted",
    "reached": "reached",
    "won_back": "won_back",
    "won_back_30": "rate_30",
    "won_back_90": "rate_90",
    "recovery": "recovery",
    "new_customers": "new_customers",
}
CAMPAIGN_DRILLS = {
    "targeted": "targeted",
    "contacted": "contacted",
    "reached": "reached",
    "accepted": "accepted",
    "won_back": "won_back",
    "won_back_30": "rate_30",
    "won_back_90": "rate_90",
}


def _row_urls(row, scope: Scope, dimension: str) -> None:
    # a zero is shown without a link (the drill tag): no URL to build for it
    row.urls = {
        kind: drill_url(
            kind, scope=scope, dimension=dimension, key=row.key, agency_id=row.agency_id
        )
        for kind, attribute in ROW_DRILLS.items()
        if getattr(row, attribute, None)
    }


def _snapshot(form: DashboardFilterForm, scope: Scope):
    data = form.cleaned_data if form.is_valid() else {}
    segment, campaign = data.get("segment"), data.get("campagne")
    return selectors.dashboard_snapshot(
        period=scope.period,
        agency_id=scope.agency_id,
        segment_id=str(segment.pk) if segment else None,
        campaign_id=str(campaign.pk) if campaign else None,
        compare_agencies=scope.network and scope.agency is None,
    )


def _board(request, form: DashboardFilterForm):
    data = form.cleaned_data if form.is_valid() else {}
    scope = viewer_scope(request, data.get("agence"), data.get("mois"))
    return scope, _snapshot(form, scope)


def _chart(board) -> dict:
    return {
        "labels": [date_text(month, "M Y") for month in board.periods],
        "lost": [row.lost or 0 if row else 0 for row in board.trend],
        "won_back": [row.won_back or 0 if row else 0 for row in board.trend],
        "recovery": [
            float(row.recovery) if row and row.recovery is not None else None for row in board.trend
        ],
        "series": {
            "lost": _("Perdus"),
            "won_back": _("Reconquis"),
            "recovery": _("Fréquentation retrouvée (%)"),
        },
    }


def _board_html(request, form: DashboardFilterForm, scope: Scope) -> tuple:
    """The dashboard's figures and tables, and when they were computed: built from the
    snapshot rows and rendered once per recompute (`SNAPSHOT_TOKEN`)."""
    board = _snapshot(form, scope)
    for figure in board.figures:
        figure.url = (
            drill_url(figure.drill, scope=scope, dimension=board.dimension, key=board.key)
            if figure.drill and figure.value
            else None
        )
    for row in board.agencies:
        _row_urls(row, scope, SnapshotDimension.TOTAL)
    for row in board.segments:
        _row_urls(row, scope, SnapshotDimension.SEGMENT)
    for row in board.channels:
        _row_urls(row, scope, SnapshotDimension.CHANNEL)
    for result in board.campaigns:
        result.urls = {
            kind: drill_url(
                kind,
                scope=scope,
                dimension=SnapshotDimension.CAMPAIGN,
                key=result.key,
                since=result.first_period,
            )
            for kind, attribute in CAMPAIGN_DRILLS.items()
            if getattr(result, attribute, None)
        }
    context = {
        "board": board,
        "chart": _chart(board),
        "trend_rows": list(zip(board.periods, board.trend, strict=True)),
        "query": request.GET.urlencode(),
    }
    html = render_to_string("reconquete/partials/_board.html", context, request)
    return board.current.computed_at if board.current else None, html


@require_GET
@workspace_required
def dashboard(request):
    network = request.user.has_perm(VIEW_NETWORK_FIGURES)
    form = DashboardFilterForm(request.GET or None, network=network)
    data = form.cleaned_data if form.is_valid() else {}
    scope = viewer_scope(request, data.get("agence"), data.get("mois"))
    if not form.is_bound:
        form.initial["mois"] = scope.period
    # what the rendering depends on: the filters as given (the export links repeat them),
    # the scope they resolved to for this viewer, and the language
    parts = [get_language(), scope.network, scope.period, scope.agency_id, request.GET.urlencode()]
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    computed_at, board_html = cached_under(
        f"reconquete:dashboard:{digest}",
        [SNAPSHOT_TOKEN, STAFF_VERSION],  # the staff's: an agency's name in the tables
        lambda: _board_html(request, form, scope),
        timeout=settings.DASHBOARD_CACHE_SECONDS,
    )
    can_manage = request.user.has_perm(MANAGE_CAMPAIGNS)
    context = {
        "form": form,
        "scope": scope,
        "computed_at": computed_at,
        "board_html": mark_safe(board_html),  # rendered by our own template, escaped there
        "can_manage": can_manage,
        "can_see_effect": request.user.has_perm(VIEW_AGENCY_FIGURES),
        "run": selectors.recompute_run_latest() if can_manage else None,
    }
    return render(request, "reconquete/dashboard.html", context)


# --- CSV of the dashboard's tables ------------------------------------------------------

SNAPSHOT_HEADER = [
    _("Perdus"),
    _("Contactés"),
    _("Joints"),
    _("Offres acceptées"),
    _("Reconquis"),
    _("Taux à 30 jours (%)"),
    _("Taux à 90 jours (%)"),
    _("Délai médian (jours)"),
    _("Fréquentation retrouvée (%)"),
    _("Nouveaux clients"),
]


def _snapshot_values(row) -> list:
    if row is None:
        return [None] * len(SNAPSHOT_HEADER)
    return [
        row.lost,
        row.contacted,
        row.reached,
        row.accepted,
        row.won_back,
        row.rate_30,
        row.rate_90,
        round(row.median_days, 1) if row.median_days is not None else None,
        row.recovery,
        row.new_customers,
    ]


@require_GET
@workspace_required
def dashboard_export(request, table: str):
    network = request.user.has_perm(VIEW_NETWORK_FIGURES)
    form = DashboardFilterForm(request.GET or None, network=network)
    scope, board = _board(request, form)
    stamp = month_param(scope.period)
    header = [str(h) for h in SNAPSHOT_HEADER]
    if table == "tendance":
        rows = [
            [month_param(month), *_snapshot_values(row)]
            for month, row in zip(board.periods, board.trend, strict=True)
        ]
        return csv_response(f"reconquete-tendance-{stamp}.csv", [_("Mois"), *header], rows)
    if table in ("agences", "segments", "canaux"):
        source = {"agences": board.agencies, "segments": board.segments, "canaux": board.channels}
        rows = [[row.label, *_snapshot_values(row)] for row in source[table]]
        return csv_response(f"reconquete-{table}-{stamp}.csv", [_("Libellé"), *header], rows)
    if table == "campagnes":
        rows = [
            [
                r.label,
                r.targeted,
                r.contacted,
                r.reached,
                r.accepted,
                r.won_back,
                r.rate_30,
                r.rate_90,
            ]
            for r in board.campaigns
        ]
        campaign_header = [
            _("Campagne"),
            _("Ciblés"),
            _("Contactés"),
            _("Joints"),
            _("Offres acceptées"),
            _("Reconquis"),
            _("Taux à 30 jours (%)"),
            _("Taux à 90 jours (%)"),
        ]
        return csv_response(f"reconquete-campagnes-{stamp}.csv", campaign_header, rows)
    raise Http404(_("Tableau inconnu."))
