from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from relation_client.messaging.models import Mailbox


@admin.register(Mailbox)
class MailboxAdmin(admin.ModelAdmin):
    """Administrators declare the addresses customers write to: an IMAP mailbox (its
    password in the environment variable it names, never in the database) or a local
    Maildir (the demo's, fed by the SMTP receiver of `make run`)."""

    list_display = ["name", "address", "agency", "network", "kind", "active", "last_polled_at"]
    list_select_related = ["agency"]
    list_filter = ["kind", "network", "active"]
    search_fields = ["name", "address"]
    readonly_fields = ["last_polled_at", "last_error"]
    fieldsets = [
        (None, {"fields": ["name", "address", "agency", "network", "active", "kind"]}),
        (
            _("IMAP"),
            {"fields": ["host", "port", "use_ssl", "username", "password_env", "folder"]},
        ),
        (_("Maildir"), {"fields": ["maildir_path"]}),
        (_("Relève"), {"fields": ["last_polled_at", "last_error"]}),
    ]
