"""Local work only (DEBUG): the mails the product sent, read from the outbox.

With DEBUG, mails go to files under .data/mails (settings.EMAIL_BACKEND); this page shows
the outbox rows behind them, newest first, so a newcomer sees the answers and the
acknowledgements leave, and what became of each (sent, waiting for a retry, failed). The
page does not exist without DEBUG (404 for everyone), and only administrators reach it.
"""

from functools import wraps

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from agences.decorators import permission_required
from agences.permissions import VIEW_SENT_MAIL
from relation_client.messaging.models import OutboundMessage

PAGE_SIZE = 25


def debug_only(view):
    """A page of local work: absent (404), signed in or not, unless DEBUG."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not settings.DEBUG:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


@debug_only
@permission_required(VIEW_SENT_MAIL, _("Cette page est réservée aux administrateurs."))
def sent_mails(request):
    messages = OutboundMessage.objects.select_related("request", "customer").order_by(
        "-created_at", "-id"
    )
    page = Paginator(messages, PAGE_SIZE).get_page(request.GET.get("page"))
    file_based = settings.EMAIL_BACKEND == "django.core.mail.backends.filebased.EmailBackend"
    return render(
        request,
        "messaging/dev_sent_mails.html",
        {
            "page": page,
            "mail_folder": getattr(settings, "EMAIL_FILE_PATH", "") if file_based else "",
            "default_sender": settings.DEFAULT_FROM_EMAIL,
        },
    )
