"""manage.py detect_lapses: what the nightly job does, on demand."""

import pytest
from django.core.management import CommandError, call_command

from reconquete.models import ReconquestCase, RidershipMonth
from tests.reconquete.conftest import month

pytestmark = pytest.mark.django_db


def test_prints_a_summary_and_opens_nothing_twice(make_customer, network_settings, capsys):
    francoise = make_customer("Françoise", "Lemaître")
    RidershipMonth.objects.bulk_create(
        RidershipMonth(customer=francoise, month=month(2025, m), trips=20) for m in (1, 2, 3, 11)
    )
    call_command("detect_lapses", "--date", "2026-03-10")
    out = capsys.readouterr().out
    assert "Détection du 10/03/2026 : 1 dossier(s) ouvert(s)" in out
    assert "inactive 1" in out
    call_command("detect_lapses", "--date", "2026-03-10")
    assert "0 dossier(s) ouvert(s)" in capsys.readouterr().out
    assert ReconquestCase.objects.filter(customer=francoise).count() == 1


def test_a_bad_date_is_refused(db):
    with pytest.raises(CommandError, match="Date invalide"):
        call_command("detect_lapses", "--date", "10/03/2026")
