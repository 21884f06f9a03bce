"""The mailboxes (their last poll and error), and the messages received, read only.

A mailbox's password is never typed here nor stored: the form names the environment
variable that holds it, and refuses anything that does not look like a variable's name
(a password pasted there by mistake would otherwise be stored).
"""

import os
import re

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from relation_client.messaging.models import (
    InboundAttachment,
    InboundMessage,
    Mailbox,
    MailboxKind,
)

VARIABLE_NAME = re.compile(r"^[A-Z][A-Z0-9_]{0,63}$")


class MailboxForm(forms.ModelForm):
    class Meta:
        model = Mailbox
        fields = [
            "name",
            "address",
            "agency",
            "network",
            "active",
            "kind",
            "host",
            "port",
            "use_ssl",
            "username",
            "password_env",
            "folder",
            "maildir_path",
        ]

    def clean_password_env(self) -> str:
        value = self.cleaned_data["password_env"].strip()
        if value and not VARIABLE_NAME.match(value):
            raise forms.ValidationError(
                _(
                    "Indiquez le nom d'une variable d'environnement (majuscules, chiffres et _, "
                    "par exemple MAILBOX_LYON_PASSWORD), jamais le mot de passe lui-même."
                )
            )
        return value

    def clean(self):
        data = super().clean()
        if data.get("kind") == MailboxKind.IMAP:
            for name in ("host", "username", "password_env"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("Obligatoire pour une boîte IMAP."))
        elif data.get("kind") == MailboxKind.MAILDIR and not data.get("maildir_path"):
            self.add_error("maildir_path", _("Obligatoire pour un Maildir."))
        return data


@admin.register(Mailbox)
class MailboxAdmin(admin.ModelAdmin):
    form = MailboxForm
    list_display = [
        "name",
        "address",
        "agency",
        "kind",
        "active",
        "last_polled_at",
        "last_error",
    ]
    list_filter = ["active", "kind", "network"]
    list_select_related = ["agency"]
    search_fields = ["name", "address"]
    readonly_fields = ["uidvalidity", "last_polled_at", "last_error"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if obj.kind == MailboxKind.IMAP and obj.password_env and obj.password_env not in os.environ:
            messages.warning(
                request,
                _(
                    "La variable %(name)s n'est pas définie pour ce serveur : elle doit l'être "
                    "pour les workers qui relèvent les boîtes."
                )
                % {"name": obj.password_env},
            )


class InboundAttachmentInline(admin.TabularInline):
    model = InboundAttachment
    fields = ["filename", "content_type", "size", "refused"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(InboundMessage)
class InboundMessageAdmin(admin.ModelAdmin):
    """What arrived, as stored: support sees why a message was set aside or unread."""

    list_display = [
        "received_at",
        "sender_address",
        "subject",
        "mailbox",
        "status",
        "flags",
        "customer",
        "request",
    ]
    list_filter = ["status", "source", "mailbox"]
    list_select_related = ["mailbox", "customer", "request"]
    search_fields = ["=sender_address", "=message_id", "subject"]
    date_hierarchy = "received_at"
    inlines = [InboundAttachmentInline]
    fields = [
        "source",
        "mailbox",
        "status",
        "flags",
        "automatic_reason",
        "error",
        "received_at",
        "sent_at",
        "message_id",
        "in_reply_to",
        "references",
        "sender_address",
        "sender_name",
        "sender_phone",
        "to_address",
        "subject",
        "headers",
        "reply_text",
        "body_text",
        "raw_size",
        "customer",
        "request",
        "touchpoint",
        "filed_at",
        "filed_by",
    ]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
