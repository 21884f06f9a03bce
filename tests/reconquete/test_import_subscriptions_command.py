"""manage.py import_subscriptions FILE."""

import pytest
from django.core.management import CommandError, call_command

from reconquete.models import Subscription

pytestmark = pytest.mark.django_db

HEADER = "contract,card,product,start_date,end_date,status,sales_channel\n"


def test_imports_and_prints_a_summary(helene, tmp_path, capsys):
    path = tmp_path / "abonnements.csv"
    path.write_text(HEADER + "ABO-1,TCL 0042 1968,Pass Partout,2025-01-01,2025-12-31,ended,web\n")
    call_command("import_subscriptions", str(path))
    assert "Abonnements : 1 ligne(s) lue(s), 1 créée(s)" in capsys.readouterr().out
    assert Subscription.objects.get().customer == helene


def test_a_refused_file_exits_non_zero(helene, tmp_path, capsys):
    path = tmp_path / "abonnements.csv"
    path.write_text(
        HEADER
        + "ABO-1,TCL 0042 1968,Pass Partout,2025-01-01,,ended,web\nABO-2,TCL 1,Pass,2025-01-01,,ended,web\n"
    )
    with pytest.raises(CommandError, match="Fichier refusé : 1 erreur"):
        call_command("import_subscriptions", str(path))
    assert "ligne 3 : Client inconnu : aucune carte n° TCL1." in capsys.readouterr().err
    assert not Subscription.objects.exists()
