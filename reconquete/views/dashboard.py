"""The reconquest dashboard (snapshot rows only), its drill-downs and CSV exports, and the
manager's buttons: recompute the indicators (with a progress bar), detect now."""

import datetime
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from agences.decorators import agent_required, workspace_required
from agences.models import Agency
from reconquete import selectors
from reconquete.forms import DashboardFilterForm, MonthField
from reconquete.models import (
    Campaign,
    CaseReason,
    CaseStatus,
    RecomputeRun,
    SnapshotDimension,
)
from reconquete.services import recompute_request
from reconquete.services.lapses import detection_request
from reconquete.views.common import (
    MANAGE_CAMPAIGNS,
    NETWORK_FIGURES,
    PAGE_SIZE,
    csv_response,
    require_perm,
)
from relation_client.customers.models import Segment
from relation_client.touchpoints.models import Channel

TABLE_FIGURES = ["lost", "contacted", "reached", "won_back", "won_back_30", "won_back_90"]


@dataclass
class Scope:
    period: datetime.date
    agency: Agency | None
    network: bool  # the viewer may see every agency

    @property
    def agency_id(self) -> int | None:
        return self.agency.pk if self.agency else None


def _scope(request, chosen_agency: Agency | None, period: datetime.date | None) -> Scope:
    """The network director chooses any agency (or the network); everyone else sees their
    own agency, and asking for another one is refused."""
    network = request.user.has_perm(NETWORK_FIGURES)
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


def _month(value: datetime.date) -> str:
    return value.strftime("%Y-%m")


def drill_url(
    kind: str, *, scope: Scope, dimension: str, key: str, since=None, agency_id=None
) -> str:
    params = {"du": _month(since or scope.period), "au": _month(scope.period)}
    if dimension != SnapshotDimension.TOTAL:
        params.update(axe=dimension, cle=key)
    agency_id = agency_id or scope.agency_id
    if agency_id:
        params["agence"] = agency_id
    return f"{reverse('reconquete:drilldown', args=[kind])}?{urlencode(params)}"


def _row_urls(row, scope: Scope, dimension: str) -> None:
    row.urls = {
        kind: drill_url(
            kind, scope=scope, dimension=dimension, key=row.key, agency_id=row.agency_id
        )
        for kind in (*TABLE_FIGURES, "recovery", "new_customers")
    }


def _board(request, form: DashboardFilterForm):
    data = form.cleaned_data if form.is_valid() else {}
    scope = _scope(request, data.get("agence"), data.get("mois"))
    segment, campaign = data.get("segment"), data.get("campagne")
    board = selectors.dashboard_snapshot(
        period=scope.period,
        agency_id=scope.agency_id,
        segment_id=str(segment.pk) if segment else None,
        campaign_id=str(campaign.pk) if campaign else None,
        compare_agencies=scope.network and scope.agency is None,
    )
    return scope, board


def _chart(board) -> dict:
    return {
        "labels": [formats.date_format(month, "M Y") for month in board.periods],
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


@require_GET
@workspace_required
def dashboard(request):
    network = request.user.has_perm(NETWORK_FIGURES)
    form = DashboardFilterForm(request.GET or None, network=network)
    scope, board = _board(request, form)
    if not form.is_bound:
        form.initial["mois"] = scope.period
    for figure in board.figures:
        figure.url = (
            drill_url(figure.drill, scope=scope, dimension=board.dimension, key=board.key)
            if figure.drill
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
            for kind in (
                "targeted",
                "contacted",
                "reached",
                "accepted",
                "won_back",
                "won_back_30",
                "won_back_90",
            )
        }
    can_manage = request.user.has_perm(MANAGE_CAMPAIGNS)
    context = {
        "form": form,
        "scope": scope,
        "board": board,
        "chart": _chart(board),
        "trend_rows": list(zip(board.periods, board.trend, strict=True)),
        "can_manage": can_manage,
        "run": selectors.recompute_run_latest() if can_manage else None,
        "query": request.GET.urlencode(),
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
    network = request.user.has_perm(NETWORK_FIGURES)
    form = DashboardFilterForm(request.GET or None, network=network)
    scope, board = _board(request, form)
    stamp = _month(scope.period)
    header = [str(h) for h in SNAPSHOT_HEADER]
    if table == "tendance":
        rows = [
            [_month(month), *_snapshot_values(row)]
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


# --- Drill-down ---------------------------------------------------------------------------


class DrilldownForm(forms.Form):
    du = MonthField()
    au = MonthField()
    agence = forms.ModelChoiceField(queryset=Agency.objects.all(), required=False)
    axe = forms.ChoiceField(choices=SnapshotDimension.choices, required=False)
    cle = forms.CharField(required=False, max_length=40)

    def clean(self):
        data = super().clean()
        dimension, key = data.get("axe") or SnapshotDimension.TOTAL, data.get("cle") or ""
        if dimension in (SnapshotDimension.SEGMENT, SnapshotDimension.CAMPAIGN):
            if key and not key.isdigit() or dimension == "campaign" and not key:
                raise forms.ValidationError("bad key")
        elif dimension == SnapshotDimension.CHANNEL and key not in Channel.values:
            raise forms.ValidationError("bad key")
        data["axe"], data["cle"] = dimension, key
        if data.get("du") and data.get("au") and data["au"] < data["du"]:
            raise forms.ValidationError("bad range")
        return data


def _drill_rows(kind: str, objects) -> tuple[list[str], list[list]]:
    if kind in ("recovery", "new_customers"):
        header = [_("Client"), _("Segment"), _("Agence")]
        if kind == "recovery":
            header += [_("Voyages du mois"), _("Voyages par mois (référence)")]
        rows = []
        for customer in objects:
            row = [
                customer.full_name,
                customer.segment.name if customer.segment else "",
                customer.home_agency.name if customer.home_agency else "",
            ]
            if kind == "recovery":
                baseline = customer.baseline_sum / customer.baseline_months
                row += [customer.month_trips, round(baseline, 1)]
            rows.append(row)
        return header, rows
    header = [
        _("Client"),
        _("Motif"),
        _("Perdu depuis"),
        _("Détecté le"),
        _("Statut"),
        _("Reconquis le"),
        _("Campagne attribuée"),
        _("Agence"),
    ]
    rows = [
        [
            case.customer.full_name,
            case.get_reason_display(),
            case.lost_since.isoformat(),
            timezone.localtime(case.opened_at).date().isoformat(),
            case.get_status_display(),
            timezone.localtime(case.won_back_at).date().isoformat() if case.won_back_at else "",
            case.attributed_campaign.name if case.attributed_campaign else "",
            case.agency.name if case.agency else "",
        ]
        for case in objects
    ]
    return header, rows


@require_GET
@workspace_required
def drilldown(request, kind: str):
    if kind not in selectors.DRILL_KINDS:
        raise Http404(_("Indicateur inconnu."))
    form = DrilldownForm(request.GET)
    if not form.is_valid():
        raise Http404(_("Paramètres invalides."))
    data = form.cleaned_data
    scope = _scope(request, data.get("agence"), data["au"])
    dimension, key = data["axe"], data["cle"]
    if kind in ("recovery", "new_customers"):
        objects = selectors.drilldown_customers(
            kind=kind,
            period_from=data["du"],
            period_to=data["au"],
            agency_id=scope.agency_id,
            segment_key=key if dimension == SnapshotDimension.SEGMENT else None,
        )
    else:
        objects = selectors.drilldown_cases(
            kind=kind,
            period_from=data["du"],
            period_to=data["au"],
            agency_id=scope.agency_id,
            dimension=dimension,
            key=key,
        )
    if request.GET.get("format") == "csv":
        header, rows = _drill_rows(kind, objects.iterator(chunk_size=2000))
        return csv_response(f"reconquete-{kind}-{_month(data['au'])}.csv", header, rows)
    page = Paginator(objects, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "kind": kind,
        "title": selectors.DRILL_KINDS[kind],
        "scope": scope,
        "data": data,
        "dimension_label": SnapshotDimension(dimension).label,
        "key_label": _key_label(dimension, key),
        "page": page,
        "extra": f"&{query.urlencode()}",
        "csv_query": f"{query.urlencode()}&format=csv",
        "customers": kind in ("recovery", "new_customers"),
        "reasons": CaseReason,
        "won_back": CaseStatus.WON_BACK,
    }
    return render(request, "reconquete/drilldown.html", context)


def _key_label(dimension: str, key: str) -> str:
    if dimension == SnapshotDimension.CHANNEL:
        return str(Channel(key).label)
    if dimension == SnapshotDimension.SEGMENT:
        return (
            Segment.objects.filter(pk=int(key)).values_list("name", flat=True).first() or key
            if key
            else _("Sans segment")
        )
    if dimension == SnapshotDimension.CAMPAIGN:
        return Campaign.objects.filter(pk=int(key)).values_list("name", flat=True).first() or key
    return ""


# --- Manager's buttons ------------------------------------------------------------------


@require_POST
@agent_required
def recompute(request):
    require_perm(request, MANAGE_CAMPAIGNS)
    run = recompute_request(by=request.agent)
    if request.htmx:
        return _progress(request, run)
    messages.info(request, _("Recalcul des indicateurs lancé."))
    return redirect("reconquete:dashboard")


def _progress(request, run: RecomputeRun):
    return render(
        request,
        "reconquete/partials/_recompute_progress.html",
        {"run": run, "percent": selectors.recompute_progress(run=run)},
    )


@require_GET
@agent_required
def recompute_progress(request, pk: int):
    require_perm(request, MANAGE_CAMPAIGNS)
    return _progress(request, get_object_or_404(RecomputeRun, pk=pk))


@require_POST
@agent_required
def detect(request):
    require_perm(request, MANAGE_CAMPAIGNS)
    detection_request()
    messages.info(
        request,
        _("Détection lancée : les nouveaux dossiers apparaîtront dans quelques instants."),
    )
    return redirect("reconquete:dashboard")
