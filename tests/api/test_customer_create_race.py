"""Two agents register the same card at the same moment: one customer, one clear refusal.

Both requests pass the "is this card free?" check before either has written; the unique
index on identifiers decides, and the loser must get the same `identifier_taken` answer
as a card registered long ago, not a 500 with an IntegrityError behind it.
"""

import json
import threading
import urllib.error
import urllib.request

import pytest
from django.urls import reverse

from relation_client.api.services import api_token_create
from relation_client.customers.models import Customer, Identifier
from relation_client.customers.services import records as customer_services

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_same_card_at_the_same_moment_makes_one_customer(
    reference_data, agent, agent_villeurbanne, live_server, monkeypatch
):
    # each agent's application writes through its own token, on its own connection
    keys = [
        api_token_create(name=f"Guichet {a.display_name}", agent=a, scopes=["customers:write"])[1]
        for a in (agent, agent_villeurbanne)
    ]
    both_checked = threading.Barrier(2, timeout=20)
    real_check = customer_services._check_identifiers_free

    def check_then_wait_for_the_other(numbers, customer_id):
        real_check(numbers, customer_id)
        both_checked.wait()  # neither has written yet: both saw the card free

    monkeypatch.setattr(customer_services, "_check_identifiers_free", check_then_wait_for_the_other)
    people = [("Hélène", "Dupont-Lefèvre"), ("Noël", "Bérard")]
    answers = []

    def register(key, first_name, last_name):
        request = urllib.request.Request(
            f"{live_server.url}{reverse('api:customer-list')}",
            data=json.dumps(
                {"first_name": first_name, "last_name": last_name, "cards": ["TCL 0042 1968"]}
            ).encode(),
            method="POST",
            headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                answers.append((response.status, json.load(response)))
        except urllib.error.HTTPError as error:
            answers.append((error.code, json.load(error)))

    threads = [
        threading.Thread(target=register, args=(key, *person))
        for key, person in zip(keys, people, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    statuses = sorted(status for status, _body in answers)
    assert statuses == [201, 400], answers
    refusal = next(body for status, body in answers if status == 400)
    assert (refusal["code"], refusal["field"]) == ("identifier_taken", "cards")
    assert Customer.objects.count() == 1
    assert Identifier.objects.get().customer == Customer.objects.get()
