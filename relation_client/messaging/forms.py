"""The new customer's form of a waiting message: the sender's name split in first and last
name, their address and (from the contact form) their phone, ready to confirm."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from relation_client.customers.quick import QuickCustomerForm
from relation_client.messaging.identify import sender_name_split
from relation_client.messaging.models import InboundMessage


class MessageCustomerForm(QuickCustomerForm):
    def __init__(self, *args, message: InboundMessage, show_confirm: bool = False, **kwargs):
        # one form per message on the list: each field's id is its own
        kwargs.setdefault("prefix", f"fiche-{message.pk}")
        super().__init__(*args, show_confirm=show_confirm, **kwargs)
        action = reverse("messaging:customer_create", args=[message.pk])
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.form_action = action
        self.helper.add_input(Submit("submit", _("Créer la fiche"), css_id=f"{self.prefix}-submit"))
        self.helper.layout = Layout(
            Row(
                Column("first_name", css_class="col-sm-6"),
                Column("last_name", css_class="col-sm-6"),
            ),
            Row(Column("email", css_class="col-sm-7"), Column("phone", css_class="col-sm-5")),
            "confirm_duplicate",
        )

    @staticmethod
    def initial_for(message: InboundMessage) -> dict:
        first, last = sender_name_split(message.sender_name, message.sender_address)
        return {
            "first_name": first,
            "last_name": last,
            "email": message.sender_address,
            "phone": message.sender_phone,
        }
