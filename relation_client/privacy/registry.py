"""What other apps hold about a customer, for the right of access and the right to erasure.

An app that stores personal data registers, in its AppConfig.ready():
- an exporter: `register_exporter("enquêtes", func)` where func(customer) -> list of dicts;
- an eraser: `register_eraser(func)` where func(customer_ids: list[int]) anonymises, in
  set-based SQL, the free text and identifying fields of its rows while keeping the rows
  themselves, so that every indicator counts the same after an erasure.
"""

from collections.abc import Callable

EXPORTERS: dict[str, Callable] = {}
ERASERS: list[Callable[[list[int]], None]] = []


def register_exporter(name: str, func: Callable) -> None:
    EXPORTERS[name] = func


def register_eraser(func: Callable[[list[int]], None]) -> None:
    if func not in ERASERS:
        ERASERS.append(func)
