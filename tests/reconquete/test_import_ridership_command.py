"""manage.py import_ridership FILE: a summary, or every bad line and a non-zero exit."""

import pytest
from django.core.management import CommandError, call_command

from reconquete.models import RidershipMonth

pytestmark = pytest.mark.django_db


def write(tmp_path, text: str, encoding="utf-8-sig"):
    path = tmp_path / "frequentation.csv"
    path.write_text(text, encoding=encoding)  # with the BOM spreadsheets add
    return str(path)


def test_imports_and_prints_a_summary_idempotently(helene, tmp_path, capsys):
    path = write(
        tmp_path, "carte;mois;voyages\nTCL 0042 1968;2025-01;38\nTCL 0042 1968;2025-02;41\n"
    )
    call_command("import_ridership", path)
    assert capsys.readouterr().out.strip() == (
        "Fréquentation : 2 ligne(s) lue(s), 2 créée(s), 0 mise(s) à jour, 0 inchangée(s)."
    )
    call_command("import_ridership", path)
    assert "0 créée(s), 0 mise(s) à jour, 2 inchangée(s)" in capsys.readouterr().out
    assert RidershipMonth.objects.count() == 2


def test_a_refused_file_lists_its_lines_and_exits_non_zero(helene, tmp_path, capsys):
    path = write(
        tmp_path,
        "carte;mois;voyages\nTCL 0042 1968;2025-01;38\nTCL 0000 0000;2025-01;4\nTCL 0042 1968;janvier;-2\n",
    )
    with pytest.raises(CommandError, match="Fichier refusé : 3 erreur"):
        call_command("import_ridership", path)
    err = capsys.readouterr().err
    assert "ligne 3 : Client inconnu : aucune carte n° TCL00000000." in err
    assert "ligne 4 : Mois invalide « janvier » : attendu AAAA-MM." in err
    assert "ligne 4 : Nombre de voyages négatif (-2)." in err
    assert not RidershipMonth.objects.exists()


def test_a_missing_or_non_utf8_file_is_refused(helene, tmp_path):
    with pytest.raises(CommandError, match="Lecture impossible"):
        call_command("import_ridership", str(tmp_path / "absent.csv"))
    path = write(tmp_path, "carte;mois;voyages\nTCL 0042 1968;2025-01;38 é\n", encoding="latin-1")
    with pytest.raises(CommandError, match="UTF-8"):
        call_command("import_ridership", path)
    assert not RidershipMonth.objects.exists()
