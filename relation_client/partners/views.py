"""Partners, on the staff side and on theirs.

Staff: each partner's commitments and their compliance per month (snapshots only), for
supervisors and up; recomputing a month takes the right to edit commitments (managers).
The partner space: partner staff see, and answer, only the requests escalated to their
partner. Anyone else — agents included — is refused; another partner's request, or one
never escalated, is a 404.
"""

import datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from agences.decorators import partner_member_required, permission_required
from agences.forms import MonthForm, PartnerAnswerForm, RecomputeForm
from agences.models import Partner
from agences.months import month_start, next_month, previous_month
from agences.permissions import CHANGE_PARTNER_COMMITMENT, VIEW_AGENCY_FIGURES
from relation_client.partners import selectors as partner_selectors
from relation_client.partners import services as partner_services
from relation_client.privacy.models import AuditAction
from relation_client.privacy.services import audit_record
from socle.errors import DomainError

PAGE_SIZE = 25
FIGURES_REFUSED = gettext_lazy("Ces indicateurs sont réservés à l'encadrement.")


# --- Staff: partners and their compliance -------------------------------------------------


@require_GET
@permission_required(VIEW_AGENCY_FIGURES, FIGURES_REFUSED)
def partner_list(request):
    form = MonthForm(request.GET or None, initial={"mois": month_start(timezone.localdate())})
    month = form.cleaned_data["mois"] if form.is_valid() else month_start(timezone.localdate())
    context = {
        "form": form,
        "month": month,
        "rows": partner_selectors.partners_overview(month=month),
        "can_recompute": request.user.has_perm(CHANGE_PARTNER_COMMITMENT),
        "recompute_form": RecomputeForm(initial={"mois": month}),
    }
    return render(request, "agences/partner_list.html", context)


@require_GET
@permission_required(VIEW_AGENCY_FIGURES, FIGURES_REFUSED)
def partner_compliance(request, pk: int, year: int, month: int):
    partner = get_object_or_404(Partner, pk=pk)
    try:
        first = datetime.date(year, month, 1)
    except ValueError:
        raise Http404(_("Mois inconnu.")) from None
    report = partner_selectors.partner_month(partner=partner, month=first)
    context = {
        "report": report,
        "previous": previous_month(first),
        "next": next_month(first),
        "can_recompute": request.user.has_perm(CHANGE_PARTNER_COMMITMENT),
        "recompute_form": RecomputeForm(initial={"mois": first, "partenaire": partner.pk}),
    }
    return render(request, "agences/partner_compliance.html", context)


@require_POST
@permission_required(CHANGE_PARTNER_COMMITMENT, FIGURES_REFUSED)
def compliance_recompute(request):
    form = RecomputeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Mois inconnu."))
        return redirect("agences:partner_list")
    month = form.cleaned_data["mois"]
    written = partner_services.partner_compliance_compute(month=month)
    messages.success(
        request,
        _("Conformité de %(month)s recalculée (%(count)s engagement(s) mesuré(s)).")
        % {"month": month.strftime("%m/%Y"), "count": written},
    )
    partner_pk = form.cleaned_data["partenaire"]
    if partner_pk:
        return redirect(
            "agences:partner_compliance", pk=partner_pk, year=month.year, month=month.month
        )
    return redirect(f"{reverse('agences:partner_list')}?mois={month:%Y-%m}")


# --- The partner space (partner staff only) ----------------------------------------------


@require_GET
@partner_member_required
def partner_requests(request):
    member = request.partner_member
    requests = partner_selectors.escalated_requests(partner_id=member.partner_id)
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    # the convention binds both parties: the partner sees the operator's side too
    report = partner_selectors.partner_month(
        partner=member.partner, month=month_start(timezone.localdate()), with_requests=False
    )
    context = {"member": member, "page": page, "report": report}
    return render(request, "agences/partner_space_list.html", context)


def _render_request(request, pk: int, *, form=None, status: int = 200):
    member = request.partner_member
    found = partner_selectors.escalated_request_for_partner(partner_id=member.partner_id, pk=pk)
    if found is None:
        raise Http404(_("Aucune demande transmise à votre organisme ne porte ce numéro."))
    # the minimum to call the customer back — how they like to be addressed, one contact
    # point, the subject and the hand-over note — and the read is on the audit trail
    contact = partner_selectors.callback_contact(customer_id=found.customer_id)
    if found.customer_id is not None:
        audit_record(
            user=request.user,
            action=AuditAction.VIEW,
            customer_ids=[found.customer_id],
            channel="espace partenaire",
            code="audit.partner_read",
            params={"partner": member.partner.name, "number": found.pk},
        )
    context = {
        "member": member,
        "req": found,
        "contact": contact,
        # a refused answer keeps its form, with the reason, even once the request is closed
        "form": form or (PartnerAnswerForm(pk=pk) if found.is_open else None),
    }
    return render(request, "agences/partner_space_detail.html", context, status=status)


@require_GET
@partner_member_required
def partner_request_detail(request, pk: int):
    return _render_request(request, pk)


@require_POST
@partner_member_required
def partner_request_answer(request, pk: int):
    member = request.partner_member
    found = partner_selectors.escalated_request_for_partner(partner_id=member.partner_id, pk=pk)
    if found is None:
        raise Http404(_("Aucune demande transmise à votre organisme ne porte ce numéro."))
    form = PartnerAnswerForm(request.POST, pk=pk)
    if form.is_valid():
        try:
            partner_services.partner_request_answer(
                request=found, member=member, note=form.cleaned_data["note"]
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            messages.success(request, _("Réponse enregistrée dans l'historique de la demande."))
            return redirect("agences:partner_request_detail", pk=pk)
    return _render_request(request, pk, form=form, status=400)
