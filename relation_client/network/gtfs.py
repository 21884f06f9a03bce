"""The network's lines and stops, imported from its GTFS (the static timetable every French
network publishes): routes become lines, stops stops, and the stops each line's trips call
at (trips + stop_times) the line–stop links.

The feed is read with partridge (docs/network.md says why): its raw feed gives each file
as a pandas DataFrame of strings. The import is idempotent: lines and stops are keyed on
the feed's route_id and stop_id and updated in place, a line's links are replaced by what
the feed says now; a second import of the same feed changes nothing.
"""

import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import partridge
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from relation_client.network.models import Line, LineStop, Stop, TransportMode
from socle.errors import DomainError

COLOUR = re.compile(r"^[0-9A-Fa-f]{6}$")

# the extended route types (Google's "hierarchical vehicle types") folded into the basic
# ones: (first, last, basic)
EXTENDED_TYPES = [
    (100, 199, TransportMode.RAIL),
    (200, 299, TransportMode.BUS),
    (400, 499, TransportMode.METRO),
    (700, 799, TransportMode.BUS),
    (800, 899, TransportMode.TROLLEYBUS),
    (900, 999, TransportMode.TRAM),
    (1000, 1099, TransportMode.FERRY),
    (1200, 1299, TransportMode.FERRY),
    (1300, 1399, TransportMode.AERIAL_LIFT),
    (1400, 1499, TransportMode.FUNICULAR),
]


@dataclass
class GtfsImportReport:
    lines: int = 0
    stops: int = 0
    links: int = 0


def _text(value) -> str:
    # partridge reads every cell as a string; an empty cell is a missing value (NaN)
    return value.strip() if isinstance(value, str) else ""


def route_mode(route_type: str, *, route_id: str) -> int:
    try:
        number = int(route_type)
    except ValueError:
        number = -1
    if number in TransportMode.values:
        return number
    for first, last, mode in EXTENDED_TYPES:
        if first <= number <= last:
            return mode
    raise DomainError(
        "gtfs_route_type",
        _("Ligne « %(route)s » : type de ligne GTFS inconnu « %(type)s ».")
        % {"route": route_id, "type": route_type},
        field="route_type",
    )


def _coordinate(value) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _columns(frame, name: str, needed: list[str]) -> None:
    missing = [column for column in needed if column not in frame.columns]
    if missing:
        raise DomainError(
            "gtfs_missing_column",
            _("Le fichier %(file)s du GTFS n'a pas la colonne « %(column)s ».")
            % {"file": name, "column": missing[0]},
            field=name,
        )


def gtfs_feed_read(path: Path):
    """The feed's routes, stops and line–stop pairs, read and checked before any write."""
    if not path.exists():
        raise DomainError(
            "gtfs_not_found",
            _("GTFS introuvable : « %(path)s ».") % {"path": path},
            field="path",
        )
    try:
        # partridge 1.1 renames columns in place, which pandas 3.1 warns about (pinned <4)
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*inplace.*", module="partridge")
            feed = partridge.load_raw_feed(str(path))
            routes, stops = feed.routes, feed.stops
            trips, stop_times = feed.trips, feed.stop_times
    except (ValueError, KeyError, OSError) as error:
        raise DomainError(
            "gtfs_unreadable",
            _("GTFS illisible : %(error)s") % {"error": error},
            field="path",
        ) from error
    _columns(routes, "routes.txt", ["route_id", "route_type"])
    _columns(stops, "stops.txt", ["stop_id", "stop_name"])
    _columns(trips, "trips.txt", ["route_id", "trip_id"])
    _columns(stop_times, "stop_times.txt", ["trip_id", "stop_id"])
    if routes.empty:
        raise DomainError("gtfs_empty", _("Le GTFS ne contient aucune ligne."), field="routes.txt")
    pairs = (
        trips[["route_id", "trip_id"]]
        .merge(stop_times[["trip_id", "stop_id"]], on="trip_id")[["route_id", "stop_id"]]
        .drop_duplicates()
    )
    return routes, stops, pairs


def gtfs_import(*, path: Path) -> GtfsImportReport:
    """Create or update the lines and stops of the feed at `path` (a zip or a folder)."""
    routes, stops, pairs = gtfs_feed_read(Path(path))
    lines = []
    for row in routes.to_dict("records"):
        route_id = _text(row.get("route_id"))
        colour, text_colour = _text(row.get("route_color")), _text(row.get("route_text_color"))
        lines.append(
            Line(
                gtfs_id=route_id,
                short_name=_text(row.get("route_short_name"))[:20],
                long_name=_text(row.get("route_long_name"))[:200],
                mode=route_mode(_text(row.get("route_type")), route_id=route_id),
                color=colour.upper() if COLOUR.match(colour) else "",
                text_color=text_colour.upper() if COLOUR.match(text_colour) else "",
            )
        )
    stop_rows = [
        Stop(
            gtfs_id=_text(row.get("stop_id")),
            name=_text(row.get("stop_name"))[:200],
            latitude=_coordinate(row.get("stop_lat")),
            longitude=_coordinate(row.get("stop_lon")),
        )
        for row in stops.to_dict("records")
    ]
    with transaction.atomic():
        Line.objects.bulk_create(
            lines,
            update_conflicts=True,
            unique_fields=["gtfs_id"],
            update_fields=["short_name", "long_name", "mode", "color", "text_color"],
        )
        Stop.objects.bulk_create(
            stop_rows,
            update_conflicts=True,
            unique_fields=["gtfs_id"],
            update_fields=["name", "latitude", "longitude"],
        )
        line_ids = dict(
            Line.objects.filter(gtfs_id__in=[line.gtfs_id for line in lines]).values_list(
                "gtfs_id", "id"
            )
        )
        stop_ids = dict(
            Stop.objects.filter(gtfs_id__in=[stop.gtfs_id for stop in stop_rows]).values_list(
                "gtfs_id", "id"
            )
        )
        wanted = {
            (line_ids[route], stop_ids[stop])
            for route, stop in pairs.itertuples(index=False)
            if route in line_ids and stop in stop_ids
        }
        existing = set(
            LineStop.objects.filter(line_id__in=line_ids.values()).values_list("line_id", "stop_id")
        )
        gone = existing - wanted
        if gone:
            stale = Q(pk__in=[])
            for line_id, stop_id in gone:
                stale |= Q(line_id=line_id, stop_id=stop_id)
            LineStop.objects.filter(stale).delete()
        LineStop.objects.bulk_create(
            [LineStop(line_id=line, stop_id=stop) for line, stop in wanted - existing]
        )
    return GtfsImportReport(lines=len(lines), stops=len(stop_rows), links=len(wanted))
