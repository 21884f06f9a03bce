"""The partner space: partner staff see, and answer, only the requests escalated to
their partner. Anyone else — agents included — is refused; another partner's request,
or one never escalated, is a 404."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from agences import selectors, services
from agences.forms import PartnerAnswerForm
from relation_client.errors import DomainError

PAGE_SIZE = 25
PARTNER_PERMISSION = "agences.answer_escalated_requests"


def partner_member_required(view):
    """Signed in as a partner's person holding the partner role: the view finds them on
    `request.partner_member` (with their partner)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        member = selectors.partner_member_for_user(user=request.user)
        if member is None or not request.user.has_perm(PARTNER_PERMISSION):
            raise PermissionDenied(_("Cet espace est réservé aux partenaires."))
        request.partner_member = member
        return view(request, *args, **kwargs)

    return wrapper


@require_GET
@partner_member_required
def partner_requests(request):
    member = request.partner_member
    requests = selectors.escalated_requests(partner_id=member.partner_id)
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "agences/partner_space_list.html", {"member": member, "page": page})


def _render_request(request, pk: int, *, form=None, status: int = 200):
    member = request.partner_member
    found = selectors.escalated_request_for_partner(partner_id=member.partner_id, pk=pk)
    if found is None:
        raise Http404(_("Aucune demande transmise à votre organisme ne porte ce numéro."))
    context = {
        "member": member,
        "req": found,
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
    found = selectors.escalated_request_for_partner(partner_id=member.partner_id, pk=pk)
    if found is None:
        raise Http404(_("Aucune demande transmise à votre organisme ne porte ce numéro."))
    form = PartnerAnswerForm(request.POST, pk=pk)
    if form.is_valid():
        try:
            services.partner_request_answer(
                request=found, member=member, note=form.cleaned_data["note"]
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            messages.success(request, _("Réponse enregistrée dans l'historique de la demande."))
            return redirect("agences:partner_request_detail", pk=pk)
    return _render_request(request, pk, form=form, status=400)
