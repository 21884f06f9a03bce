"""Compact memory of what later tables need to know about earlier rows: one byte per
customer for its segment, agency, flags and ridership months (a million customers take a
few megabytes), and typed column spools for the rows a touchpoint gives rise to."""

import random
from array import array

# CustomerPlan.flags bits
HAS_EMAIL = 1
SURVEY_OK = 2  # accepts surveys by e-mail: may be invited
SUBSCRIBER = 4
LAPSED = 8  # the last subscription ended: lapse detection will find it

# CustomerPlan.profile: how the customer rides
NO_RIDES = 0
STEADY = 1
DROP = 2  # rides much less in the second year: ridership drop
STOPPED = 3  # stopped riding months ago: inactive
SPORADIC = 4  # a few months here and there


class CustomerPlan:
    def __init__(self, count: int):
        self.count = count
        self.segment = bytearray(count)
        self.agency = bytearray(count)
        self.flags = bytearray(count)
        self.first_name = bytearray(count)  # index in demo.people.names.FIRST_NAMES
        self.last_name = bytearray(count)  # index in demo.people.names.LAST_NAMES
        self.profile = bytearray(count)
        self.first = bytearray(count)  # first ridership month index
        self.last = bytearray(count)  # last ridership month index
        self.months = bytearray(count)  # ridership months written
        self.subscription_start = bytearray(count)  # month index, 0 = before the period

    def ridership_total(self) -> int:
        return sum(self.months)

    def ridership_adjust(self, target: int, rng: random.Random) -> int:
        """Trim or extend histories (start later or earlier, a sporadic month more or less)
        until exactly `target` months are written; returns the number of changes."""
        total = self.ridership_total()
        changes = 0
        count = self.count
        profile, first, last, months = self.profile, self.first, self.last, self.months
        while total != target:
            i = rng.randrange(count)
            p = profile[i]
            if p == NO_RIDES:
                continue
            span = last[i] - first[i] + 1
            if total > target and months[i] > 1:
                if p == SPORADIC:
                    months[i] -= 1
                elif first[i] < last[i] - 1:
                    first[i] += 1
                    months[i] -= 1
                else:
                    continue
                total -= 1
            elif total < target:
                if p == SPORADIC and months[i] < span:
                    months[i] += 1
                elif p != SPORADIC and first[i] > 0:
                    first[i] -= 1
                    months[i] += 1
                else:
                    continue
                total += 1
            else:
                continue
            changes += 1
        return changes


class Spool:
    """Rows kept as typed columns (array module): a few bytes a value, not a tuple each."""

    def __init__(self, **columns: str):
        self.names = list(columns)
        self.columns = [array(code) for code in columns.values()]
        self._appends = [column.append for column in self.columns]

    def add(self, *values: int) -> None:
        for append, value in zip(self._appends, values, strict=True):
            append(value)

    def __len__(self) -> int:
        return len(self.columns[0])

    def rows(self):
        return zip(*self.columns, strict=True)

    def nbytes(self) -> int:
        return sum(c.itemsize * len(c) for c in self.columns)
