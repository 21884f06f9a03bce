"""The network's fixtures: the demo GTFS as a zip, imported."""

import zipfile

import pytest

from demo.seed.lines import DEMO_GTFS
from relation_client.network.gtfs import gtfs_import
from relation_client.network.models import Line
from tests.support.gtfs_rt_server import alerts_feed  # noqa: F401 (a fixture)


def gtfs_zip(folder, target, *, replace: dict[str, str] | None = None):
    """The GTFS of `folder` as a zip at `target`, with some files' text replaced."""
    with zipfile.ZipFile(target, "w") as archive:
        for path in sorted(folder.iterdir()):
            text = (replace or {}).get(path.name, path.read_text(encoding="utf-8"))
            archive.writestr(path.name, text)
    return target


@pytest.fixture
def demo_zip(tmp_path):
    return gtfs_zip(DEMO_GTFS, tmp_path / "reseau.zip")


@pytest.fixture
def network(db, demo_zip):
    """The demo lines and stops, imported from the zip: {short name: Line}."""
    gtfs_import(path=demo_zip)
    return {line.short_name: line for line in Line.objects.all()}
