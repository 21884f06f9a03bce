"""What other apps hold about a customer, for the right of access and the right to erasure.

An app that stores personal data registers, in its AppConfig.ready():
- an exporter: `register_exporter("enquêtes", func, title=…, columns=[…], section=…)` where
  func(customer) -> list of dicts (plain JSON: codes, ISO dates), the machine-readable
  export. `columns` say how the DPO's readable document shows each key: built with
  `column(Model, "field")`, they take the French label from the field's verbose_name, the
  labels of its choices and how to print it (a date and time in local time, a date, yes or
  no), so that no hand-written label list drifts from the models. `title` heads the table
  (defaults to the name); exporters naming the same `section` are shown together under it
  ("Reconquête": cases, campaigns, contacts);
- an eraser: `register_eraser(func)` where func(customer_ids: list[int]) anonymises, in
  set-based SQL, the free text and identifying fields of its rows while keeping the rows
  themselves, so that every indicator counts the same after an erasure.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.contrib.postgres.fields import ArrayField
from django.db import models

TEXT, DATETIME, DATE, MONTH, BOOLEAN = "text", "datetime", "date", "month", "boolean"


@dataclass(frozen=True)
class Column:
    """One key of an exported row, as the readable document shows it."""

    key: str
    label: object
    kind: str = TEXT
    choices: dict = field(default_factory=dict)
    # False for a key no exporter declared, shown under its own name (a drift to fix)
    declared: bool = True


def _kind_of(model_field: models.Field) -> str:
    if isinstance(model_field, models.DateTimeField):
        return DATETIME
    if isinstance(model_field, models.DateField):
        return DATE
    if isinstance(model_field, models.BooleanField):
        return BOOLEAN
    return TEXT


def column(
    model: type[models.Model],
    name: str,
    *,
    key: str | None = None,
    label=None,
    kind: str | None = None,
    choices=None,
) -> Column:
    """The column of `model.name`: its verbose_name, its choices' labels, its kind. `key`
    when the exported row names it otherwise; `label` only where the field's verbose_name
    does not say what the value is; `kind=MONTH` for a date that stands for its month;
    `choices` (a TextChoices) for a field that stores codes without declaring them."""
    model_field = model._meta.get_field(name)
    inner = model_field.base_field if isinstance(model_field, ArrayField) else model_field
    if kind is None:
        kind = _kind_of(inner)
    if choices is not None:
        labels = dict(choices.choices)
    else:
        labels = dict(inner.flatchoices) if inner.choices else {}
    return Column(key or name, label or model_field.verbose_name, kind, labels)


@dataclass(frozen=True)
class Exporter:
    name: str
    func: Callable
    title: object
    columns: tuple[Column, ...] = ()
    section: object = None


EXPORTERS: dict[str, Exporter] = {}
ERASERS: list[Callable[[list[int]], None]] = []


def register_exporter(
    name: str,
    func: Callable,
    *,
    title=None,
    columns: Iterable[Column] = (),
    section=None,
) -> None:
    EXPORTERS[name] = Exporter(name, func, title or name, tuple(columns), section)


def register_eraser(func: Callable[[list[int]], None]) -> None:
    if func not in ERASERS:
        ERASERS.append(func)
