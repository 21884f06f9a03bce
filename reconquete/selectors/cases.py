"""Open reconquest cases, for the caller box and the customer page."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    OuterRef,
    Subquery,
)
from django.utils import formats
from django.utils.translation import gettext as _

from reconquete.models import (
    CampaignStatus,
    CampaignTarget,
    CaseReason,
    CaseStatus,
    OfferType,
    ReconquestCase,
)
from socle.dates import date_text


@dataclass(frozen=True)
class CaseSummary:
    """What an agent must know at once about a lost customer."""

    case_id: int
    customer_id: int
    reason: str
    reason_label: str
    lost_since: datetime.date
    opened_at: datetime.datetime
    explanation: str
    campaign_id: int | None = None
    campaign_name: str | None = None
    offer_type: str | None = None
    offer_type_label: str | None = None
    offer_text: str | None = None


def _month_label(value) -> str:
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value)
    return date_text(value, "F Y")


def _day_label(value) -> str:
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value)
    return date_text(value, "j F Y")


def case_explanation(*, reason: str, details: dict) -> str:
    """The numbers behind a case, in a sentence."""
    if reason == CaseReason.LAPSED_SUBSCRIPTION:
        return _(
            "Abonnement « %(product)s » terminé le %(ended)s, non renouvelé après %(grace)s jours."
        ) % {
            "product": details.get("product", ""),
            "ended": _day_label(details["ended_on"]) if details.get("ended_on") else "?",
            "grace": details.get("grace_days", "?"),
        }
    if reason == CaseReason.RIDERSHIP_DROP:
        return _(
            "%(recent)s voyages par mois sur les %(months)s derniers mois, contre %(baseline)s "
            "en période de référence (%(ratio)s %%)."
        ) % {
            "recent": formats.localize(Decimal(str(details.get("recent", 0)))),
            "months": details.get("drop_months", "?"),
            "baseline": formats.localize(Decimal(str(details.get("baseline", 0)))),
            "ratio": details.get("ratio_percent", "?"),
        }
    if reason == CaseReason.INACTIVE:
        return _("Aucun voyage depuis %(month)s (référence : %(baseline)s voyages par mois).") % {
            "month": _month_label(details["last_trip_month"])
            if details.get("last_trip_month")
            else "?",
            "baseline": formats.localize(Decimal(str(details.get("baseline", 0)))),
        }
    return ""


def _active_target(field_name: str) -> Subquery:
    targets = CampaignTarget.objects.filter(
        case=OuterRef("pk"), campaign__status=CampaignStatus.ACTIVE
    ).order_by("-created_at", "-id")
    return Subquery(targets.values(field_name)[:1])


def open_cases_for(customer_ids: list[int]) -> dict[int, CaseSummary]:
    """The open reconquest case of each of these customers that has one, with the
    campaign that targets it now and its offer: one query."""
    if not customer_ids:
        return {}
    cases = (
        ReconquestCase.objects.filter(customer_id__in=customer_ids, status=CaseStatus.OPEN)
        .annotate(
            campaign_ref=_active_target("campaign_id"),
            campaign_name=_active_target("campaign__name"),
            offer_type=_active_target("campaign__offer_type"),
            offer_text=_active_target("campaign__offer_text"),
        )
        .values(
            "id",
            "customer_id",
            "reason",
            "lost_since",
            "opened_at",
            "details",
            "campaign_ref",
            "campaign_name",
            "offer_type",
            "offer_text",
        )
    )
    return {
        row["customer_id"]: CaseSummary(
            case_id=row["id"],
            customer_id=row["customer_id"],
            reason=row["reason"],
            reason_label=str(CaseReason(row["reason"]).label),
            lost_since=row["lost_since"],
            opened_at=row["opened_at"],
            explanation=case_explanation(reason=row["reason"], details=row["details"]),
            campaign_id=row["campaign_ref"],
            campaign_name=row["campaign_name"],
            offer_type=row["offer_type"],
            offer_type_label=str(OfferType(row["offer_type"]).label) if row["offer_type"] else None,
            offer_text=row["offer_text"],
        )
        for row in cases
    }
