"""The unsubscribe page: public, no login, French or English. GET shows one button and
changes nothing; POST (the button, or a mail client's RFC 8058 one-click POST) withdraws
the consent the link names."""

from functools import wraps

from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from relation_client.customers.greetings import WRITTEN_LANGUAGES, written_language
from relation_client.customers.models import ConsentChannel, ConsentPurpose
from relation_client.messaging.unsubscribe import (
    Unsubscription,
    unsubscribe_customer,
    unsubscribe_read,
    unsubscribe_record,
    unsubscribed,
)


def _same_origin_referrer(view):
    """The link's token must not reach other sites in a Referer, yet the button's POST
    must carry the site's origin for the CSRF check ("no-referrer" would send null)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Referrer-Policy"] = "same-origin"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapped


def _csrf_refusal(request):
    """The CSRF check the middleware would have made: the view is exempt only for the
    mail client's one-click POST, which has no form to carry a token."""
    return CsrfViewMiddleware(lambda _request: None).process_view(request, None, (), {})


def _wording(subject: Unsubscription) -> dict[str, str]:
    """The question and the confirmation, in the active language: what stops, and how."""
    what = {
        ConsentPurpose.MARKETING: _("nos offres"),
        ConsentPurpose.SURVEYS: _("nos enquêtes de satisfaction"),
        ConsentPurpose.TRAVEL_INFO: _("nos alertes de perturbation sur vos lignes"),
    }[subject.purpose]
    how = {
        ConsentChannel.EMAIL: _("par e-mail"),
        ConsentChannel.SMS: _("par SMS"),
        ConsentChannel.PHONE: _("par téléphone"),
        ConsentChannel.POST: _("par courrier"),
        ConsentChannel.APP: _("par notification de l'application"),
    }[subject.channel]
    words = {"what": what, "how": how}
    return {
        "question": _("Ne plus recevoir %(what)s %(how)s ?") % words,
        "stopped": _("Vous ne recevrez plus %(what)s %(how)s.") % words,
    }


def _one_click(request) -> bool:
    return request.POST.get("List-Unsubscribe") == "One-Click"


@never_cache
@_same_origin_referrer
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    subject = unsubscribe_read(token)
    customer = unsubscribe_customer(subject) if subject else None
    chosen = request.GET.get("langue")
    language = written_language(
        chosen
        if chosen in WRITTEN_LANGUAGES
        else (customer.preferred_language if customer else None)
    )
    context = {"language": language, "languages": WRITTEN_LANGUAGES, "subject": subject}
    with translation.override(language):
        if customer is None:
            return render(request, "messaging/unsubscribe_unknown.html", context, status=404)
        context.update(_wording(subject))
        if request.method == "POST":
            if not _one_click(request):
                refusal = _csrf_refusal(request)
                if refusal is not None:
                    return refusal
            unsubscribe_record(subject=subject)
            if _one_click(request):
                # the mail client reads only the status; the page says it anyway
                return render(request, "messaging/unsubscribe.html", {**context, "done": True})
            # after the button: the page again, which now says it is done (a reload posts
            # nothing twice)
            return redirect(f"{request.path}?langue={language}&fait=1")
        context["done"] = unsubscribed(customer=customer, subject=subject)
        context["just_done"] = request.GET.get("fait") == "1" and context["done"]
        return render(request, "messaging/unsubscribe.html", context)
