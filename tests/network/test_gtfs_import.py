"""network_import_gtfs: lines, stops and the stops each line serves, from a GTFS zip or
folder; a second import updates and never duplicates."""

import pytest
from django.core.management import CommandError, call_command

from demo.seed.lines import DEMO_GTFS
from relation_client.network.gtfs import gtfs_import
from relation_client.network.models import Line, LineStop, Stop, TransportMode
from socle.errors import DomainError
from tests.network.conftest import gtfs_zip

pytestmark = pytest.mark.django_db


def _served(short_name: str) -> set[str]:
    return set(Stop.objects.filter(lines__short_name=short_name).values_list("name", flat=True))


def test_the_zip_gives_lines_with_their_mode_and_colour_and_their_stops(demo_zip):
    report = gtfs_import(path=demo_zip)

    assert (report.lines, report.stops) == (4, 16)
    c3 = Line.objects.get(short_name="C3")
    assert c3.long_name == "Gare Saint-Paul – Vaulx-en-Velin La Soie"
    assert (c3.mode, c3.color, c3.text_color) == (TransportMode.BUS, "E2001A", "FFFFFF")
    assert Line.objects.get(short_name="T1").mode == TransportMode.TRAM
    assert _served("12") == {
        "Bellecour",
        "Saint-André – Guillotière",
        "États-Unis – Viviani",
        "Vénissieux Gare",
    }
    # Part-Dieu Villette is served by three lines, and is one stop
    assert set(
        Line.objects.filter(stops__name="Part-Dieu Villette").values_list("short_name", flat=True)
    ) == {"C3", "T1", "C13"}


def test_a_second_import_updates_in_place_and_drops_a_stop_no_longer_served(tmp_path):
    gtfs_import(path=DEMO_GTFS)
    ids = dict(Line.objects.values_list("gtfs_id", "id"))
    links = LineStop.objects.count()

    gtfs_import(path=DEMO_GTFS)
    assert dict(Line.objects.values_list("gtfs_id", "id")) == ids
    assert (Stop.objects.count(), LineStop.objects.count()) == (16, links)

    routes = (DEMO_GTFS / "routes.txt").read_text(encoding="utf-8")
    times = (DEMO_GTFS / "stop_times.txt").read_text(encoding="utf-8")
    changed = gtfs_zip(
        DEMO_GTFS,
        tmp_path / "modifie.zip",
        replace={
            "routes.txt": routes.replace("Bellecour – Vénissieux Gare", "Bellecour – Vénissieux"),
            # the 12 no longer calls at États-Unis – Viviani
            "stop_times.txt": "\n".join(
                line for line in times.splitlines() if not line.startswith("L12-A-0715,07:32")
            ),
        },
    )
    gtfs_import(path=changed)

    assert Line.objects.get(gtfs_id="L12").long_name == "Bellecour – Vénissieux"
    assert Line.objects.get(gtfs_id="L12").pk == ids["L12"]
    assert "États-Unis – Viviani" not in _served("12")
    assert LineStop.objects.count() == links - 1


def test_a_feed_without_a_needed_column_is_refused_in_french_and_writes_nothing(tmp_path):
    broken = gtfs_zip(
        DEMO_GTFS,
        tmp_path / "casse.zip",
        replace={"routes.txt": "route_id,route_short_name\nC3,C3\n"},
    )
    with pytest.raises(DomainError) as refused:
        gtfs_import(path=broken)
    assert "n'a pas la colonne « route_type »" in str(refused.value)
    assert not Line.objects.exists()


def test_the_command_imports_and_says_what(demo_zip, capsys):
    call_command("network_import_gtfs", str(demo_zip))
    assert "4 ligne(s), 16 arrêt(s)" in capsys.readouterr().out

    with pytest.raises(CommandError, match="GTFS introuvable"):
        call_command("network_import_gtfs", "/nulle/part/gtfs.zip")
