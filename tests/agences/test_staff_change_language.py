"""The staff audit's unlocking is kept as codes and said in the reader's language."""

import pytest
from django.urls import reverse
from django.utils import translation

from agences.accounts import agent_unlock
from agences.models import StaffChange

pytestmark = pytest.mark.django_db


def test_an_unlocking_reads_in_the_readers_language(login, agent, supervisor_lyon, dpo):
    with translation.override("fr"):
        agent_unlock(actor=supervisor_lyon.user, agent=agent)
    change = StaffChange.objects.get()
    assert (change.old, change.new) == ("locked", "unlocked")
    client = login(dpo)
    english = client.get(reverse("agences:staff_changes"), HTTP_ACCEPT_LANGUAGE="en")
    assert "<td>locked</td><td>unlocked</td>" in english.content.decode()
    french = client.get(reverse("agences:staff_changes"), HTTP_ACCEPT_LANGUAGE="fr")
    assert "<td>bloqué</td><td>débloqué</td>" in french.content.decode()
