"""The rows behind a dashboard figure (satisfaction:drilldown): the dashboard's filters and
access, 50 rows a page, the same rows in CSV. No agent's name: a team tool ranks nobody."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from agences.decorators import workspace_required
from satisfaction import selectors
from satisfaction.models import IncivilityDirection, SurveyKind
from satisfaction.selectors import DashboardFilter
from satisfaction.selectors import drilldown as selectors_drilldown
from satisfaction.selectors.drilldown import DRILL_KINDS, DrillFilter, period_start
from satisfaction.views.dashboard import _filters, drill_query
from socle.dates import date_text
from socle.spreadsheet import csv_response

PAGE_SIZE = 50
ANSWERED = {"oui": True, "non": False}


def _drill_filter(request, filters: DashboardFilter) -> DrillFilter:
    period = filters.period
    if period is None:
        periods = selectors.dashboard_periods(period_kind=filters.period_kind)
        period = periods[0] if periods else timezone.localdate()
    survey_kind = request.GET.get("enquete", "")
    direction = request.GET.get("sens", "")
    return DrillFilter(
        period_kind=filters.period_kind,
        period=period_start(filters.period_kind, period),
        agency=filters.agency,
        channel=filters.channel,
        survey_kind=survey_kind if survey_kind in SurveyKind.values else "",
        direction=direction if direction in IncivilityDirection.values else "",
        answered=ANSWERED.get(request.GET.get("reponse", "")),
    )


def _rows(kind: str, request, filters: DrillFilter):
    if kind in ("reponses", "ecart"):
        return selectors_drilldown.drill_answers(filters=filters, paired=kind == "ecart")
    if kind == "invitations":
        return selectors_drilldown.drill_invitations(filters=filters)
    return selectors_drilldown.drill_incivilities(
        filters=filters, agent=request.agent, user=request.user
    )


def _local(moment) -> str:
    return date_text(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def _csv_lines(kind: str, rows):
    """(header, rows) of the CSV: the columns of the page."""
    if kind == "incivilites":
        header = [_("date"), _("agence"), _("sens"), _("type"), _("gravité"), _("client")]
        header.append(_("ce qui s'est passé"))

        def line(report):
            return [
                _local(report.occurred_at),
                report.agency.name,
                report.get_direction_display(),
                report.get_kind_display(),
                report.get_severity_display(),
                report.customer.full_name if report.customer_id else "",
                report.description,
            ]

    elif kind == "invitations":
        header = [_("envoyée le"), _("agence"), _("canal"), _("enquête"), _("répondue le")]
        header += [_("note"), _("commentaire"), _("client")]

        def line(invitation):
            answer = getattr(invitation, "answer", None)
            return [
                _local(invitation.sent_at),
                invitation.agency.name,
                invitation.get_channel_display(),
                invitation.survey.get_kind_display(),
                _local(invitation.answered_at) if invitation.answered_at else "",
                answer.score if answer else "",
                answer.comment if answer else "",
                invitation.customer.full_name,
            ]

    else:
        header = [_("date du contact"), _("agence"), _("canal"), _("enquête"), _("note")]
        if kind == "ecart":
            header.append(_("estimation du personnel"))
        header += [_("commentaire"), _("client")]

        def line(answer):
            invitation = answer.invitation
            cells = [
                _local(invitation.occurred_at),
                invitation.agency.name,
                invitation.get_channel_display(),
                invitation.survey.get_kind_display(),
                answer.score,
            ]
            if kind == "ecart":
                cells.append(answer.estimate)
            return [*cells, answer.comment, invitation.customer.full_name]

    return header, (line(row) for row in rows)


@require_GET
@workspace_required
def drilldown(request, kind: str):
    if kind not in DRILL_KINDS:
        raise Http404(_("Indicateur inconnu."))
    form, dashboard_filters = _filters(request)  # the dashboard's access rule
    filters = _drill_filter(request, dashboard_filters)
    rows = _rows(kind, request, filters)
    if request.GET.get("format") == "csv":
        header, lines = _csv_lines(kind, rows.iterator(chunk_size=2000))
        return csv_response(f"satisfaction-{kind}-{filters.period:%Y-%m}.csv", header, lines)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    back = DashboardFilter(
        filters.period_kind, filters.period, dashboard_filters.agency, filters.channel
    )
    context = {
        "kind": kind,
        "title": DRILL_KINDS[kind],
        "filters": filters,
        "channels": dict(form.fields["canal"].choices),
        "survey_kind_label": SurveyKind(filters.survey_kind).label if filters.survey_kind else "",
        "direction_label": (
            IncivilityDirection(filters.direction).label if filters.direction else ""
        ),
        "page": page,
        "extra": f"&{query.urlencode()}" if query else "",
        "csv_query": f"{query.urlencode()}&format=csv" if query else "format=csv",
        "back_query": drill_query(back),
    }
    return render(request, "satisfaction/drilldown.html", context)
