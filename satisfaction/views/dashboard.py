"""The satisfaction dashboard (snapshot rows only), its CSV export and the recompute."""

import csv
import datetime
import hashlib

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from agences.decorators import permission_required, workspace_required
from agences.permissions import VIEW_AGENCY_FIGURES, VIEW_NETWORK_FIGURES
from agences.staff_cache import STAFF_VERSION
from relation_client.runs.models import BackgroundRun
from satisfaction import selectors, services
from satisfaction.forms import DashboardFilterForm
from satisfaction.selectors import DashboardFilter
from satisfaction.services.indicators import SNAPSHOT_TOKEN
from socle.dates import date_text
from socle.spreadsheet import BOM, DELIMITER, spreadsheet_row
from socle.versioned_cache import cached_under


def _filters(request) -> tuple[DashboardFilterForm, DashboardFilter]:
    """The filters the viewer may use: the network direction any agency or the whole
    network; everyone else their own agency only."""
    agent = request.agent
    network = request.user.has_perm(VIEW_NETWORK_FIGURES)
    wanted = request.GET.get("agence")
    if not network and wanted not in (None, "", str(agent.agency_id)):
        raise PermissionDenied(_("Vous ne voyez que les indicateurs de votre agence."))
    form = DashboardFilterForm(request.GET or None, network=network)
    values = form.values()
    if not network:
        values["agency"] = agent.agency
    return form, DashboardFilter(**values)


def _scope_query(filters: DashboardFilter) -> str:
    """The agency and channel of the filters, as a query string (the trend's months)."""
    params = {"agence": filters.agency.pk if filters.agency else "", "canal": filters.channel}
    return urlencode({key: value for key, value in params.items() if value})


def drill_query(filters: DashboardFilter, **extra) -> str:
    """The query string of a drill-down (satisfaction:drilldown) for these filters;
    `extra` adds or overrides parameters."""
    params = {"periode": filters.period_kind}
    if filters.period:
        params["debut"] = filters.period.isoformat()
    if filters.agency is not None:
        params["agence"] = filters.agency.pk
    if filters.channel:
        params["canal"] = filters.channel
    params.update({key: value for key, value in extra.items() if value not in (None, "")})
    return urlencode(params)


def _number(value):
    return float(value) if value is not None else None


def _month_after(month: datetime.date) -> datetime.date:
    index = month.year * 12 + month.month
    return datetime.date(index // 12, index % 12 + 1, 1)


TREND_SERIES = ("real", "real_few", "estimate", "gap")


def _trend_chart(trend: list, min_sample: int) -> dict:
    """The month-by-month chart. Every month from the first with figures to the last is
    there: a month without answers is a hole (None), never a 0. A month under min_sample
    answers goes to its own series ("real_few", drawn as loose marks) so that a single
    answer does not draw a cliff in the line. A series with nothing to plot is left out
    ("series" lists the others), so the legend names nothing empty."""
    by_month = {row.period: row for row in trend}
    months = []
    if trend:
        month = trend[0].period
        while month <= trend[-1].period:
            months.append(month)
            month = _month_after(month)
    rows = [by_month.get(month) for month in months]

    def enough(row) -> bool:
        return row is not None and row.answers_n >= min_sample

    chart = {
        "labels": [date_text(month, "F Y") for month in months],
        "answers": [row.answers_n if row else None for row in rows],
        "real": [_number(row.real_score) if enough(row) else None for row in rows],
        "real_few": [_number(row.real_score) if row and not enough(row) else None for row in rows],
        "estimate": [_number(row.estimate_score) if row else None for row in rows],
        "gap": [_number(row.gap) if row else None for row in rows],
        "min_sample": min_sample,
    }
    chart["series"] = [
        name for name in TREND_SERIES if any(value is not None for value in chart[name])
    ]
    return chart


def _chart_data(board) -> dict:
    return {
        "trend": _trend_chart(board.trend, board.min_sample),
        "agencies": {
            "labels": [item.agency.name for item in board.agencies],
            "real": [_number(item.gap.real_score) if item.gap else None for item in board.agencies],
            "estimate": [
                _number(item.gap.estimate_score) if item.gap else None for item in board.agencies
            ],
        },
        "incivility": {
            "labels": [date_text(row.period, "F Y") for row in board.team_trend],
            "against_staff": [row.incivility_against_staff_n for row in board.team_trend],
            "by_staff": [row.incivility_by_staff_n for row in board.team_trend],
        },
    }


def _board_html(request, form, frame) -> str:
    """The figures, tables and charts: built from the snapshot rows and rendered once per
    recompute (`SNAPSHOT_TOKEN`)."""
    board = selectors.dashboard(filters=frame.filters, frame=frame)
    context = {
        "form": form,
        "board": board,
        "charts": _chart_data(board),
        # the drill-downs behind the figures: the effective filters, then the rows' own
        "drill": drill_query(board.filters),
        "drill_scope": _scope_query(board.filters),
    }
    return render_to_string("satisfaction/partials/_board.html", context, request)


@require_GET
@workspace_required
def dashboard(request):
    form, filters = _filters(request)
    frame = selectors.dashboard_frame(filters=filters)
    shown = frame.filters
    # what the rendering depends on: the filters it resolved to for this viewer (the
    # network view shows every agency), and the language
    parts = [
        get_language(),
        shown.period_kind,
        shown.period,
        shown.agency.pk if shown.agency else None,
        shown.channel,
        frame.periods[:1],
    ]
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    board_html = cached_under(
        f"satisfaction:dashboard:{digest}",
        [SNAPSHOT_TOKEN, STAFF_VERSION],  # the staff's: an agency's name in the tables
        lambda: _board_html(request, form, frame),
        timeout=settings.DASHBOARD_CACHE_SECONDS,
    )
    context = {
        "form": form,
        "board": frame,
        "board_html": mark_safe(board_html),  # rendered by our own template, escaped there
        "can_recompute": request.user.has_perm(VIEW_AGENCY_FIGURES),
        "query": request.GET.urlencode(),
    }
    return render(request, "satisfaction/dashboard.html", context)


EXPORT_COLUMNS = [
    ("period_kind", gettext_lazy("période")),
    ("period", gettext_lazy("début")),
    ("agency", gettext_lazy("agence")),
    ("channel", gettext_lazy("canal")),
    ("answers_n", gettext_lazy("réponses")),
    ("real_score", gettext_lazy("satisfaction (0-100)")),
    ("real_ci_low", gettext_lazy("IC 95 % bas")),
    ("real_ci_high", gettext_lazy("IC 95 % haut")),
    ("satisfied_share", gettext_lazy("part de satisfaits (%)")),
    ("paired_n", gettext_lazy("réponses avec estimation")),
    ("paired_real_score", gettext_lazy("satisfaction sur ces contacts")),
    ("estimate_score", gettext_lazy("estimation du personnel")),
    ("gap", gettext_lazy("écart (points)")),
    ("gap_ci_low", gettext_lazy("écart IC 95 % bas")),
    ("gap_ci_high", gettext_lazy("écart IC 95 % haut")),
    ("barometer_n", gettext_lazy("réponses au baromètre")),
    ("barometer_share", gettext_lazy("baromètre : satisfaits estimés (%)")),
    ("barometer_gap", gettext_lazy("écart du baromètre (points)")),
    ("nps_n", gettext_lazy("réponses NPS")),
    ("nps", gettext_lazy("NPS")),
    ("csat_mean", gettext_lazy("CSAT moyen (1-5)")),
    ("ces_mean", gettext_lazy("effort moyen (1-7)")),
    ("service_mean", gettext_lazy("accueil (1-5)")),
]


@require_GET
@workspace_required
def export(request):
    _form, filters = _filters(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="ecart-satisfaction.csv"'
    response.write(BOM)  # the BOM: spreadsheet software then reads the accents right
    # semicolons, decimal commas and no formula: what French spreadsheet software expects
    writer = csv.writer(response, delimiter=DELIMITER)
    writer.writerow(spreadsheet_row(label for _name, label in EXPORT_COLUMNS))
    network, every_channel = _("Tout le réseau"), _("Tous les canaux")
    for row in selectors.gap_export(filters=filters).iterator():
        cells = []
        for name, _label in EXPORT_COLUMNS:
            value = getattr(row, name)
            if name == "agency":
                value = row.agency.name if row.agency_id else network
            elif name == "channel":
                value = value or every_channel
            elif name == "period_kind":
                value = row.get_period_kind_display()
            cells.append(value)
        writer.writerow(spreadsheet_row(cells))
    return response


@require_POST
@permission_required(
    VIEW_AGENCY_FIGURES, _("Seuls les superviseurs et managers lancent un recalcul.")
)
def recompute(request):
    run = services.recompute_request(by=request.agent)
    if request.htmx:
        return _progress(request, run)
    return redirect("satisfaction:dashboard")


def _progress(request, run: BackgroundRun):
    context = {
        "run": run,
        "poll_url": reverse("satisfaction:recompute_progress", args=[run.pk]),
        "result_url": reverse("satisfaction:dashboard"),
    }
    return render(request, "runs/partials/_progress.html", context)


@require_GET
@permission_required(
    VIEW_AGENCY_FIGURES, _("Seuls les superviseurs et managers lancent un recalcul.")
)
def recompute_progress(request, pk: int):
    run = selectors.recompute_status(run_id=pk)
    if run is None:
        raise Http404
    return _progress(request, run)
