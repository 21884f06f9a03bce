"""The right-of-access document the DPO hands over: the export of `customer_export`, in
French sections (identité, coordonnées, consentements, échanges…), each value under its
field's verbose_name, choices by their label, times in the operator's local time written
the French way. The JSON beside it stays the machine-readable original; this module only
reads it, so the two can never say different things.

The core's sections are declared here; the satellites' come from their registration
(`registry.register_exporter(…, title=, columns=, section=)`). A key that no column
declares is still shown, under its own name: the person sees everything held."""

import datetime
import zoneinfo
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils import formats
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from relation_client.customers.models import (
    Consent,
    ContactKind,
    ContactPoint,
    Customer,
    Identifier,
)
from relation_client.customers.normalize import phone_display
from relation_client.privacy import registry
from relation_client.privacy.registry import BOOLEAN, DATE, DATETIME, MONTH, Column, column
from relation_client.touchpoints.models import Gesture, Request, Touchpoint
from socle.dates import date_text

EMPTY = "—"
DATETIME_FORMAT = "j F Y à H:i"
DATE_FORMAT = "j F Y"
MONTH_FORMAT = "F Y"


@dataclass
class Block:
    """One table of a section (or, `record`, one row shown as label: value)."""

    caption: object
    columns: list[Column]
    rows: list[list[str]]
    record: bool = False

    @property
    def pairs(self) -> list[tuple[Column, str]]:
        """A record's (column, value) pairs."""
        return list(zip(self.columns, self.rows[0], strict=True)) if self.rows else []


@dataclass
class Section:
    anchor: str
    title: object
    blocks: list[Block] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(block.rows) for block in self.blocks if not block.record)


def _local_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def display(col: Column, value) -> str:
    """One value as the person reads it."""
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if isinstance(value, list):
        return ", ".join(display(col, item) for item in value)
    if isinstance(value, dict):
        return " · ".join(
            f"{key} : {display(Column(key, key), item)}" for key, item in value.items()
        )
    if col.kind == DATETIME:
        moment = value if isinstance(value, datetime.datetime) else parse_datetime(str(value))
        if moment is not None:
            return date_text(moment.astimezone(_local_zone()), DATETIME_FORMAT)
    if col.kind in (DATE, MONTH):
        day = value if isinstance(value, datetime.date) else parse_date(str(value)[:10])
        if day is not None:
            return date_text(day, MONTH_FORMAT if col.kind == MONTH else DATE_FORMAT)
    if col.kind == BOOLEAN or isinstance(value, bool):
        return _("oui") if value else _("non")
    if value in col.choices:
        return str(col.choices[value])
    if isinstance(value, Decimal | float):
        return formats.localize(value)
    return str(value)


def _block(caption, columns: list[Column], rows: list[dict], *, record: bool = False) -> Block:
    columns = list(columns)
    declared = {col.key for col in columns}
    for row in rows:  # whatever no column declares is shown all the same
        for key in row:
            if key not in declared:
                declared.add(key)
                columns.append(Column(key, key, declared=False))
    return Block(
        caption,
        columns,
        [[display(col, row.get(col.key)) for col in columns] for row in rows],
        record,
    )


def identity_columns() -> list[Column]:
    return [
        column(Customer, "id", label=gettext_lazy("n° de fiche")),
        column(Customer, "civility"),
        column(Customer, "first_name"),
        column(Customer, "last_name"),
        column(Customer, "preferred_name"),
        column(Customer, "birth_date"),
        column(Customer, "preferred_language"),
        column(Customer, "needs"),
        column(Customer, "tags"),
        column(Customer, "segment"),
        column(Customer, "home_agency"),
        column(Customer, "usual_contact"),
        column(Customer, "created_at"),
        column(Customer, "updated_at"),
    ]


def _read_aloud(point: dict) -> dict:
    """A phone number as people read it (06 12 34 56 78); the JSON keeps E.164."""
    if point.get("kind") != ContactKind.PHONE:
        return point
    try:
        return {**point, "value": phone_display(point["value"])}
    except Exception:  # noqa: BLE001 - a malformed legacy value is shown as stored
        return point


def core_sections(data: dict) -> list[Section]:
    person = dict(data.get("customer") or {})
    address = {"postal_address": person.pop("postal_address", "")}
    for key in ("segment", "home_agency", "usual_contact"):
        person[key] = data.get(key)
    return [
        Section(
            "identite", _("Identité"), [_block(None, identity_columns(), [person], record=True)]
        ),
        Section(
            "coordonnees",
            _("Coordonnées"),
            [
                _block(None, [column(Customer, "postal_address")], [address], record=True),
                _block(
                    _("Téléphones et e-mails"),
                    [
                        column(ContactPoint, "kind"),
                        column(ContactPoint, "value"),
                        column(ContactPoint, "label"),
                        column(ContactPoint, "created_at", label=gettext_lazy("ajoutée le")),
                    ],
                    [_read_aloud(point) for point in data.get("contact_points", [])],
                ),
                _block(
                    Identifier._meta.verbose_name_plural.capitalize(),
                    [column(Identifier, "kind"), column(Identifier, "number")],
                    data.get("identifiers", []),
                ),
            ],
        ),
        Section(
            "consentements",
            _("Consentements"),
            [
                _block(
                    None,
                    [
                        column(Consent, "recorded_at"),
                        column(Consent, "channel"),
                        column(Consent, "purpose"),
                        column(Consent, "given"),
                        column(Consent, "source"),
                    ],
                    data.get("consents", []),
                )
            ],
        ),
        Section(
            "echanges",
            _("Échanges"),
            [
                _block(
                    None,
                    [
                        column(Touchpoint, "occurred_at"),
                        column(Touchpoint, "kind"),
                        column(Touchpoint, "channel"),
                        column(Touchpoint, "direction"),
                        column(Touchpoint, "reason"),
                        column(Touchpoint, "summary"),
                        column(Touchpoint, "outcome"),
                        column(Touchpoint, "mood"),
                        column(Touchpoint, "contact_left"),
                        column(Touchpoint, "agent"),
                    ],
                    data.get("touchpoints", []),
                )
            ],
        ),
        Section(
            "demandes",
            _("Demandes"),
            [
                _block(
                    None,
                    [
                        column(Request, "opened_at"),
                        column(Request, "channel"),
                        column(Request, "subject"),
                        column(Request, "status"),
                        column(Request, "deadline"),
                        column(Request, "answered_at"),
                        column(Request, "closed_at"),
                    ],
                    data.get("requests", []),
                )
            ],
        ),
        Section(
            "gestes",
            _("Gestes commerciaux"),
            [
                _block(
                    None,
                    [
                        column(Gesture, "created_at", label=gettext_lazy("accordé le")),
                        column(Gesture, "kind"),
                        column(Gesture, "value"),
                        column(Gesture, "reason"),
                        column(Gesture, "status"),
                    ],
                    data.get("gestures", []),
                )
            ],
        ),
    ]


def access_document(data: dict) -> list[Section]:
    """The sections of the readable document, from the export's data."""
    sections = core_sections(data)
    grouped: dict[str, Section] = {}
    for index, exporter in enumerate(registry.EXPORTERS.values()):
        heading = exporter.section or exporter.title
        key = str(heading)
        if key not in grouped:
            grouped[key] = Section(f"section-{index}", heading)
            sections.append(grouped[key])
        grouped[key].blocks.append(
            _block(
                exporter.title if exporter.section else None,
                list(exporter.columns),
                data.get(exporter.name, []),
            )
        )
    return sections


def exported_at(data: dict) -> str:
    return display(Column("exported_at", "", DATETIME), data.get("exported_at"))
