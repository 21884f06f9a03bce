"""A customer created on the spot from something that came in unidentified: an exchange at
the counter, a message. One form and one submit path, so both keep the same duplicate check:
a likely duplicate re-shows the form with its confirmation box and the people it resembles."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from agences.models import Agency
from relation_client.customers.services import CustomerData, DuplicateSuspected
from socle.errors import DomainError


class QuickCustomerForm(forms.Form):
    first_name = forms.CharField(label=_("Prénom"), max_length=100)
    last_name = forms.CharField(label=_("Nom"), max_length=100)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Téléphone"), max_length=40, required=False)
    confirm_duplicate = forms.BooleanField(
        label=_("J'ai vérifié : il s'agit d'une autre personne, créer la fiche."), required=False
    )

    def __init__(self, *args, show_confirm: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not show_confirm:
            self.fields["confirm_duplicate"].widget = forms.HiddenInput()

    def customer_data(self, home_agency: Agency) -> CustomerData:
        data = self.cleaned_data
        return CustomerData(
            first_name=data["first_name"],
            last_name=data["last_name"],
            home_agency=home_agency,
            emails=[data["email"]] if data["email"] else [],
            phones=[data["phone"]] if data["phone"] else [],
        )


def quick_customer_submit(
    make_form: Callable[..., QuickCustomerForm],
    create: Callable[[QuickCustomerForm, bool], Any],
) -> tuple[Any, QuickCustomerForm, list]:
    """Validate the posted form and create. Returns (what `create` returned or None, the form
    to show again, the customers a suspected duplicate resembles)."""
    form = make_form(show_confirm=False)
    if form.add_prefix("confirm_duplicate") in form.data:
        form = make_form(show_confirm=True)
    if not form.is_valid():
        return None, form, []
    try:
        return create(form, form.cleaned_data["confirm_duplicate"]), form, []
    except DuplicateSuspected as suspected:
        form = make_form(show_confirm=True)
        form.is_valid()
        return None, form, suspected.matches
    except DomainError as error:
        form.add_error(error.field if error.field in form.fields else None, str(error))
        return None, form, []
