"""The demo network's lines and stops: the small GTFS shipped in demo/gtfs (four lines,
« C3 », « T1 », « 12 » and « C13 », sixteen stops), imported as a network's feed would be.
Idempotent like the import itself."""

from pathlib import Path

from relation_client.network.gtfs import GtfsImportReport, gtfs_import

DEMO_GTFS = Path(__file__).resolve().parent.parent / "gtfs"


def demo_seed_lines() -> GtfsImportReport:
    return gtfs_import(path=DEMO_GTFS)
