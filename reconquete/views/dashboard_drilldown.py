"""The dashboard's drill-downs: the cases or customers behind a figure, as a page or a CSV."""

from django import forms
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from agences.decorators import workspace_required
from agences.models import Agency
from reconquete import selectors
from reconquete.forms import MonthField
from reconquete.models import Campaign, CaseReason, CaseStatus, SnapshotDimension
from reconquete.views.common import PAGE_SIZE
from reconquete.views.dashboard import month_param, viewer_scope
from relation_client.customers.models import Segment
from relation_client.touchpoints.models import Channel
from socle.spreadsheet import csv_response


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
    scope = viewer_scope(request, data.get("agence"), data["au"])
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
        return csv_response(f"reconquete-{kind}-{month_param(data['au'])}.csv", header, rows)
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
