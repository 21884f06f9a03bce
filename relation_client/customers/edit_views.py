"""Changing a customer's record after its creation ("Modifier la fiche").

Who: whoever creates customers (workspace_required, as `views.create`): any agency's
agent, since customers are the network's. The write is the API's (customer_update), with
the creation's duplicate check and the same audit row (AuditAction.CHANGE with what
changed, before and after), in one transaction. Optimistic concurrency: the form carries
the record's `updated_at`; when someone saved in between, nothing is written and the form
comes back with their changes taken in and the collisions shown (EditConflict).
"""

import json

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from agences.decorators import workspace_required
from relation_client.customers.forms import CustomerEditForm
from relation_client.customers.models import Customer
from relation_client.customers.services import (
    UPDATABLE,
    DuplicateSuspected,
    EditConflict,
    customer_update,
)
from relation_client.privacy.models import AuditAction
from relation_client.privacy.services import audit_record
from socle.errors import DomainError


def _customer(pk: int) -> Customer:
    return get_object_or_404(
        Customer.objects.select_related("segment", "home_agency", "usual_contact").prefetch_related(
            "contact_points"
        ),
        pk=pk,
    )


def _new_form(customer: Customer) -> CustomerEditForm:
    initial = CustomerEditForm.initial_for(customer)
    initial["seen"] = json.dumps(CustomerEditForm.initial_raw(customer))
    return CustomerEditForm(initial=initial, customer=customer)


def _changed_labels(form: CustomerEditForm, diff: dict) -> str:
    return ", ".join(str(form.fields[name].label).lower() for name in diff if name in form.fields)


@workspace_required
@require_http_methods(["GET", "POST"])
def edit(request, pk: int):
    customer = _customer(pk)
    context = {"customer": customer, "matches": [], "collisions": []}
    if customer.anonymised_at is not None:
        # erased: nothing to edit, and a POST changes nothing (the service refuses too)
        status = 409 if request.method == "POST" else 200
        return render(request, "customers/edit.html", context, status=status)
    if request.method == "GET":
        context["form"] = _new_form(customer)
        return render(request, "customers/edit.html", context)

    show_confirm = "confirm_duplicate" in request.POST
    form = CustomerEditForm(request.POST, customer=customer, show_confirm=show_confirm)
    status = 422
    if form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                updated, diff = customer_update(
                    customer=customer,
                    changes={name: data[name] for name in UPDATABLE},
                    phones=data["phones"],
                    emails=data["emails"],
                    check_duplicates=not data["confirm_duplicate"],
                    expected_updated_at=data["version"],
                )
                # the API's audit row (api/views/customers.py), from the page; a save
                # that changed nothing leaves no trace
                if diff:
                    audit_record(
                        user=request.user,
                        action=AuditAction.CHANGE,
                        channel="page",
                        customer_ids=[updated.pk],
                        code="audit.fields",
                        params={"fields": sorted(diff)},
                        changes=diff,
                    )
        except DuplicateSuspected as suspected:
            context["matches"] = suspected.matches
            form = CustomerEditForm(request.POST, customer=customer, show_confirm=True)
            form.is_valid()
            status = 409
        except EditConflict as conflict:
            current = _customer(conflict.current.pk)
            again, collisions = form.collision(current)
            form = CustomerEditForm(again, customer=current, show_confirm=show_confirm)
            form.is_valid()
            form.add_error(None, str(conflict))
            for name, stored, both in collisions:
                shown = form.display(name, stored)
                form.add_error(
                    name,
                    _("Enregistré entre-temps : « %(value)s ». Votre saisie est gardée ici.")
                    % {"value": shown}
                    if both
                    else _("Mis à jour entre-temps : « %(value)s ».") % {"value": shown},
                )
            context.update(customer=current, collisions=collisions)
            status = 409
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            if diff:
                messages.success(
                    request,
                    _("Fiche de %(name)s mise à jour : %(fields)s.")
                    % {"name": updated.salutation, "fields": _changed_labels(form, diff)},
                )
            else:
                messages.info(request, _("Aucune modification : la fiche est inchangée."))
            return redirect(updated)
    context["form"] = form
    return render(request, "customers/edit.html", context, status=status)
