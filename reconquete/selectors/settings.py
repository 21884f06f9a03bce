"""Detection thresholds as they apply to each segment."""

from dataclasses import dataclass

from reconquete.models import (
    ReconquestSettings,
)
from relation_client.customers.models import Segment


def settings_effective() -> dict[int | None, ReconquestSettings]:
    """The thresholds that apply to each segment (None: customers without segment): the
    segment's own row, else the network's row, else the defaults."""
    rows = {row.segment_id: row for row in ReconquestSettings.objects.all()}
    network = rows.get(None) or ReconquestSettings()
    result: dict[int | None, ReconquestSettings] = {None: network}
    for segment_id in Segment.objects.values_list("id", flat=True):
        result[segment_id] = rows.get(segment_id, network)
    return result


@dataclass
class SettingsLine:
    segment: Segment | None
    settings: ReconquestSettings
    own: bool  # the segment has its own thresholds (else it follows the network)


def settings_table() -> list[SettingsLine]:
    rows = {row.segment_id: row for row in ReconquestSettings.objects.all()}
    network = rows.get(None) or ReconquestSettings()
    lines = [SettingsLine(None, network, None in rows)]
    for segment in Segment.objects.order_by("priority", "name"):
        own = segment.pk in rows
        lines.append(SettingsLine(segment, rows[segment.pk] if own else network, own))
    return lines
