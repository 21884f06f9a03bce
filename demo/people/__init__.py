"""The one generator of believable French people, for the demo network (demo.seed) and the
generated data sets (demo.dataset).

Names keep their accents and particles and follow a Zipf-like frequency, so homonyms turn
up as they do in a real customer file; 52 % are women and the civility matches the first
name. Phones are valid French numbers (a mobile each, a Lyon landline for some), unique
without remembering them: an affine permutation of the customer's index. E-mail addresses
are built from the folded name on the usual providers' reserved `.example` domains.

Every draw takes the caller's seeded Random: the same seed gives the same people, and a
caller may keep separate streams (the data set draws names and contact points apart).
"""

import bisect
import datetime
import itertools
import math
import random
import unicodedata
from collections.abc import Sequence

import phonenumbers

from demo.people.names import FIRST_NAMES, FIRST_NAMES_F, LAST_NAMES, STREETS


class Picker:
    """Draws one of `items` with the given weights: one bisect per draw."""

    def __init__(self, items: Sequence, weights: Sequence[float]):
        self.items = list(items)
        self.cumulative = list(itertools.accumulate(weights))
        self.total = self.cumulative[-1]

    def index(self, rng: random.Random) -> int:
        return bisect.bisect_right(self.cumulative, rng.random() * self.total)

    def __call__(self, rng: random.Random):
        return self.items[bisect.bisect_right(self.cumulative, rng.random() * self.total)]


def by_rank(items: Sequence, slope: float = 0.8) -> Picker:
    """Zipf-like weights: the first items of the list are the most common."""
    return Picker(items, [1 / (rank + 4) ** slope for rank in range(len(items))])


def ascii_fold(text: str) -> str:
    """'Hélène Dupont-Lefèvre' -> 'helenedupont-lefevre': material for e-mail addresses."""
    folded = unicodedata.normalize("NFKD", text)
    kept = "".join(c for c in folded if c.isalnum() or c in "-.")
    return kept.encode("ascii", "ignore").decode().lower()


# the pickers draw an index: in FIRST_NAMES (women first) and in LAST_NAMES
FEMALE_FIRST_NAMES = by_rank(range(len(FIRST_NAMES_F)))
MALE_FIRST_NAMES = by_rank(range(len(FIRST_NAMES_F), len(FIRST_NAMES)))
LAST_NAME_RANKS = by_rank(range(len(LAST_NAMES)), slope=0.6)
LANGUAGES = Picker(["fr", "en", "es", "ar", "de", "it"], [930, 30, 15, 12, 8, 5])
MAIL_DOMAINS = Picker(
    [
        "orange.example",
        "gmail.example",
        "free.example",
        "laposte.example",
        "sfr.example",
        "hotmail.example",
        "yahoo.example",
        "outlook.example",
    ],
    [26, 30, 12, 8, 8, 8, 4, 4],
)
ACCESSIBILITY = [
    ("Se déplace en fauteuil roulant.", ["mobilité réduite"]),
    ("Malvoyant : privilégier le téléphone.", ["malvoyant"]),
    ("Malentendante : privilégier l'écrit.", ["malentendant"]),
    ("Se déplace avec un chien guide.", ["chien guide"]),
]
OTHER_NEEDS = [
    ("Préfère les documents en gros caractères.", ["gros caractères"]),
    ("Joignable seulement après 18 h.", []),
    ("Parle mal français : proposer l'anglais.", ["langue"]),
]
NEEDS_SHARE = 0.03  # outside the reduced-mobility segment, who mention a need
LANDLINE_SHARE = 0.06  # who also leave a home landline
EMAIL_SHARE = 0.72  # who leave an e-mail address


def name_draw(
    rng: random.Random, *, earlier: list | None = None, namesake_share: float = 0.0
) -> tuple[bool, int, int]:
    """(female, index in FIRST_NAMES, index in LAST_NAMES).

    Given `earlier` (the names drawn so far, which it extends), a share of the draws
    repeat one of them: namesakes, whom only the birth date and the address tell apart.
    """
    if earlier and rng.random() < namesake_share:
        return rng.choice(earlier)
    female = rng.random() < 0.52
    first = FEMALE_FIRST_NAMES(rng) if female else MALE_FIRST_NAMES(rng)
    name = (female, first, LAST_NAME_RANKS.index(rng))
    if earlier is not None:
        earlier.append(name)
    return name


def salutation_draw(rng: random.Random, *, female: bool, last_name: str) -> tuple[str, str]:
    """(civility, preferred name): a few give no civility, fewer ask for 'Madame X'."""
    r = rng.random()
    civility = "" if r < 0.03 else "mme" if female else "m"
    preferred = f"{'Madame' if female else 'Monsieur'} {last_name}" if r > 0.985 else ""
    return civility, preferred


def birth_date_draw(
    rng: random.Random, *, today: datetime.date, ages: tuple[int, int] = (18, 80)
) -> datetime.date:
    low, high = ages
    return datetime.date.fromordinal(today.toordinal() - rng.randint(low * 365, high * 365 + 364))


def needs_draw(
    rng: random.Random, *, reduced_mobility: bool, share: float = NEEDS_SHARE
) -> tuple[str, list[str]]:
    """(needs, tags): every customer of the reduced-mobility segment has one, a few others."""
    if reduced_mobility or rng.random() < share:
        return rng.choice(ACCESSIBILITY if reduced_mobility else OTHER_NEEDS)
    return "", []


def address_draw(rng: random.Random, *, postcode: str, town: str) -> str:
    return f"{rng.randint(1, 180)} {STREETS[rng.randrange(len(STREETS))]}, {postcode} {town}"


def email_draw(rng: random.Random, *, first_name: str, last_name: str, index: int) -> str:
    first, last = ascii_fold(first_name), ascii_fold(last_name)
    r = rng.random()
    local = f"{first}.{last}" if r < 0.4 else f"{first[0]}{last}{rng.randint(1, 99)}"
    if r > 0.85:
        local = f"{last}.{first}{index % 1000}"
    return f"{local}@{MAIL_DOMAINS(rng)}"


def _mobile_prefixes() -> list[str]:
    """Three-digit French mobile prefixes (6xx, 7xx) that phonenumbers holds valid."""
    return [
        str(p)
        for p in range(600, 800)
        if all(
            phonenumbers.is_valid_number(phonenumbers.parse(f"+33{p}{suffix}"))
            for suffix in ("000000", "999999")
        )
    ]


class Permutation:
    """index -> a number below `modulus`, different for every index."""

    def __init__(self, modulus: int, rng: random.Random):
        self.modulus = modulus
        self.multiplier = rng.randrange(modulus // 3, modulus // 2)
        while math.gcd(self.multiplier, modulus) != 1:
            self.multiplier += 1
        self.offset = rng.randrange(modulus)

    def __call__(self, index: int) -> int:
        return (self.multiplier * index + self.offset) % self.modulus


class Phones:
    """A mobile and a Lyon landline per index, E.164, never twice the same."""

    def __init__(self, rng: random.Random):
        self.prefixes = _mobile_prefixes()
        self.mobiles = Permutation(len(self.prefixes) * 10**6, rng)
        self.landlines = Permutation(10**7, rng)

    def mobile(self, index: int) -> str:
        n = self.mobiles(index)
        return f"+33{self.prefixes[n // 10**6]}{n % 10**6:06d}"

    def landline(self, index: int) -> str:
        return f"+3347{self.landlines(index):07d}"
