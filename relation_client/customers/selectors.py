"""Reads about customers: search, caller identification, duplicates, the customer page."""

import datetime
from dataclasses import dataclass, field

from django.contrib.postgres.search import TrigramWordSimilarity
from django.core.paginator import Page, Paginator
from django.db import connection, transaction
from django.db.models import FloatField, Func, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from agences.models import Agent
from relation_client.customers.distinguishers import SearchLine, search_line
from relation_client.customers.models import (
    ContactKind,
    ContactPoint,
    Customer,
    Identifier,
    IdentifierKind,
    NameWords,
    SearchNormalized,
)
from relation_client.customers.normalize import phone_try_normalize
from relation_client.messaging.models import InboundMessage
from relation_client.touchpoints.models import OPEN_STATUSES, Request, Touchpoint
from socle.errors import DomainError

SEARCH_LIMIT = 20
# the API's cap too (CustomerListQuerySerializer): a name, a number or an address is far
# shorter, and the trigram search costs grow with the text (~2 s of database at 3,000)
SEARCH_MAX_LENGTH = 200
# the word similarity a name needs to be found: "Dupond" still finds "Dupont"
NAME_SIMILARITY = 0.3
# how many of the nearest names (from the GiST index, by word similarity) the ranking
# sees: the 20 shown and room for every rank tie but the commonest surnames'
NAME_CANDIDATES = 200


def _customer_base() -> QuerySet[Customer]:
    return Customer.objects.select_related("segment", "home_agency", "usual_contact")


def _exact_ids(text: str, limit: int) -> list[int]:
    """Customers whose e-mail, phone or card/contract number is exactly the text: one
    UNION of index lookups (an OR across two joins would scan all three tables)."""
    points = Q(kind=ContactKind.EMAIL, value=text.casefold())
    phone = phone_try_normalize(text) if any(ch.isdigit() for ch in text) else None
    if phone:
        points |= Q(kind=ContactKind.PHONE, value=phone)
    by_point = ContactPoint.objects.filter(points).values_list("customer_id", flat=True)
    by_number = Identifier.objects.filter(
        kind__in=IdentifierKind.values, number=text.replace(" ", "").upper()
    ).values_list("customer_id", flat=True)
    return list(by_point.union(by_number)[:limit])


class _WordDistance(Func):
    """`search_name <->> text`: 1 - word_similarity(text, search_name), the ordering the
    GiST index `customer_search_knn` yields nearest first (the column must be on the
    left: PostgreSQL does not commute an ordering operator to reach an index)."""

    arg_joiner = " <->> "
    template = "(%(expressions)s)"
    output_field = FloatField()


def names_nearest(text: str, *, candidates: int = NAME_CANDIDATES) -> QuerySet:
    """The ids of the `candidates` names nearest the text by word similarity, straight
    from the GiST index in that order: a few hundred buffers for a name many share; most
    of the index for a typo nothing is close to (docs/benchmarks.md, "Name search")."""
    distance = _WordDistance("search_name", SearchNormalized(Value(text)))
    return Customer.objects.order_by(distance).values_list("pk", flat=True)[:candidates]


# the lexicon's words close to a query whose customers number at most this many are
# all ranked; more, and the names share common words, which the nearest-neighbour scan
# of the GiST index reaches in a few hundred buffers where ranking every holder would
# read thousands of rows (docs/benchmarks.md, "Name search")
LEXICON_CANDIDATES = 5000


@dataclass
class LexiconWords:
    """The lexicon's words close to each word of a query (word similarity at least
    NAME_SIMILARITY), each with how many customers hold it and how many trigrams it has
    in common with the query word, and the number of trigrams of the query and of each
    of its words."""

    # query word -> {word: (customers, trigrams in common)}
    close: dict[str, dict[str, tuple[int, int]]]
    query_trigrams: int = 0
    word_trigrams: dict[str, int] = field(default_factory=dict)
    total: float = 1  # customers, as the planner's statistics have it

    def holding_every_word(self) -> float:
        """How many customers hold every word of the query as it is typed, were the
        words drawn independently (0 when one is no customer's)."""
        estimate = self.total
        for word, close in self.close.items():
            estimate *= close.get(word, (0, 0))[0] / self.total
        return estimate

    @property
    def words(self) -> list[str]:
        return sorted({word for close in self.close.values() for word in close})

    def customers(self, words: list[str]) -> int:
        """At least how many customers hold one of the words (at most their sum)."""
        held = {w: n for close in self.close.values() for w, (n, _common) in close.items()}
        return sum(held[word] for word in words)

    def reaching(self, rank: float) -> list[str]:
        """The words a name must hold to rank at least `rank` without holding a close
        word for every query word. Missing one, query word j, it shares under 30 % of
        j's trigrams (taken as what "not close" means: true of a name word whose
        trigrams in common with j are in one stretch), and every other query word i
        lacks those it does not share with the name; a name's word similarity is at
        most the trigrams it shares over |T|, so some word must share with some i at
        least |T_i| - (1 - rank)·|T| + 0.7·|T_j| - overlap, where overlap counts the
        trigrams two query words have in common."""
        found = [word for word, close in self.close.items() if close]
        overlap = sum(self.word_trigrams[word] for word in self.close) - self.query_trigrams
        words = set()
        for i in found:
            others = [self.word_trigrams[j] for j in found if j != i]
            needed = (
                self.word_trigrams[i]
                - (1 - rank) * self.query_trigrams
                + (1 - NAME_SIMILARITY) * min(others)
                - max(overlap, 0)
            )
            words |= {w for w, (_n, common) in self.close[i].items() if common >= needed}
        return sorted(words)


def lexicon_words(text: str) -> LexiconWords:
    """The words of the lexicon (customers_name_word, kept by triggers: migration 0013)
    close to each word of the text, through its trigram index: tens of thousands of
    words at a million customers, a few ms whatever the typo."""
    # no savepoint (two queries more): the setting lasts to the end of the outermost
    # transaction, and only the `%>` and `<%` operators read it
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        # `%>` reads its threshold from this setting (0.6 by default)
        cursor.execute(
            "SELECT set_config('pg_trgm.word_similarity_threshold', %s, true)",
            [str(NAME_SIMILARITY)],
        )
        cursor.execute(
            """
            SELECT q.word, cardinality(show_trgm(q.word)),
                   cardinality(show_trgm(rc_search_norm(%(q)s))),
                   l.word, l.customers,
                   cardinality(ARRAY(SELECT unnest(show_trgm(q.word))
                                     INTERSECT SELECT unnest(show_trgm(l.word)))),
                   (SELECT reltuples FROM pg_class WHERE oid = 'customers_customer'::regclass)
            FROM (SELECT DISTINCT unnest(string_to_array(rc_search_norm(%(q)s), ' '))) AS q(word)
            LEFT JOIN customers_name_word l ON l.word %%> q.word
            WHERE q.word <> ''
            """,
            {"q": text},
        )
        rows = cursor.fetchall()
    found = LexiconWords(close={})
    for query_word, word_trigrams, query_trigrams, word, customers, common, total in rows:
        found.query_trigrams = query_trigrams
        found.total = max(total, customers or 0, found.total)
        found.word_trigrams[query_word] = word_trigrams
        close = found.close.setdefault(query_word, {})
        if word is not None:
            close[word] = (customers, common)
    return found


def _ranked(text: str) -> QuerySet[Customer]:
    """The ranking of name search: word similarity at least NAME_SIMILARITY, best first,
    then last name, first name, id."""
    return (
        _customer_base()
        .annotate(rank=TrigramWordSimilarity(SearchNormalized(Value(text)), "search_name"))
        .filter(rank__gte=NAME_SIMILARITY)
        .order_by("-rank", "last_name", "first_name", "id")
    )


def customers_named(text: str, *, candidates: int = NAME_CANDIDATES) -> QuerySet[Customer]:
    """Customers whose name resembles the text (word similarity at least NAME_SIMILARITY),
    best first; the first `candidates` as ranking every name would give them.

    Names that exist, held by more than the candidates (Martin, Dupont Lefèvre at a
    million customers: the lexicon's counts say so), come from the GiST index by
    nearest-neighbour order (at least NAME_CANDIDATES of them, for the rank ties): a
    few hundred index entries however many share them. For the others (typos, rarer
    names), where that scan may read the whole index, the lexicon:

    for each word of the text, the name words at
    word similarity at least NAME_SIMILARITY to it (a name the ranking finds holds one:
    its trigrams in common with the text are its words'), then the customers whose name
    holds such words (GIN index `customer_name_words`):
    - for a text of several words (a full name), the `candidates` best of those holding
      every word as typed, else a close word for each query word, with the holders of the few words that could
      rank a name missing one above the last of them (LexiconWords.reaching), when
      there are so many and those holders are at most LEXICON_CANDIDATES;
    - else all the holders of any, when they are at most LEXICON_CANDIDATES;
    - else the nearest names from the GiST index. Where more names than those tie on
      the rank of the last one, which of them are kept is the index's choice.

    Words and ids are passed as lists: given as a subquery, the planner may filter the
    whole table on word_similarity() before the join."""
    ranked = _ranked(text)
    lexicon = lexicon_words(text)
    words = lexicon.words
    if not words:
        return ranked.none()
    nearest = max(candidates, NAME_CANDIDATES)
    if lexicon.holding_every_word() >= nearest:
        # names that exist, many: the nearest-neighbour scan stops after a few hundred
        return ranked.filter(pk__in=list(names_nearest(text, candidates=nearest)))
    held = ranked.annotate(words=NameWords("search_name"))
    close = [sorted(close) for close in lexicon.close.values() if close]
    typed = [[word] for word, close in lexicon.close.items() if word in close]
    # the names holding each word as typed first, then those holding a close word for each
    for each in [typed, close] if len(typed) == len(lexicon.close) else [close]:
        if len(each) < 2:
            continue
        every = held
        for words_of_one in each:
            every = every.filter(words__overlap=words_of_one)
        if each is typed and every.order_by().values("pk")[nearest - 1 : nearest].exists():
            # the name as typed is held by more than the nearest taken (a hyphenated
            # name's halves go together more often than their counts say): they are
            # the nearest, found by the GiST index after a few hundred entries
            return ranked.filter(pk__in=list(names_nearest(text, candidates=nearest)))
        if each is typed and candidates >= nearest:
            continue  # fewer than `nearest` holders: not the `candidates` best sought
        best = list(every.values_list("pk", "rank")[:candidates])
        if len(best) == candidates:
            reaching = lexicon.reaching(best[-1][1])
            if lexicon.customers(reaching) <= LEXICON_CANDIDATES:
                ids = [pk for pk, _rank in best]
                return held.filter(Q(pk__in=ids) | Q(words__overlap=reaching or [""]))
    if lexicon.customers(words) <= LEXICON_CANDIDATES:
        return held.filter(words__overlap=words)
    return ranked.filter(pk__in=list(names_nearest(text, candidates=nearest)))


def search_query_clean(query: str) -> str:
    """The text to search for; DomainError for a text no search should run on (PostgreSQL
    cannot even compare a text holding a NUL character)."""
    text = (query or "").strip()
    if "\x00" in text:
        raise DomainError("null_character", _("Le caractère nul n’est pas autorisé."), field="q")
    if len(text) > SEARCH_MAX_LENGTH:
        raise DomainError(
            "too_long",
            _("La recherche compte au plus %(max)s caractères (actuellement %(count)s).")
            % {"max": SEARCH_MAX_LENGTH, "count": len(text)},
            field="q",
        )
    return text


def customer_search(*, query: str, limit: int = SEARCH_LIMIT) -> list[Customer]:
    """Ranked search by name (accent-, case- and typo-tolerant), phone, e-mail or card
    number. DomainError for a query search_query_clean refuses."""
    text = search_query_clean(query)
    if not text:
        return []
    exact_ids = _exact_ids(text, limit)
    by_name = list(customers_named(text, candidates=limit)[:limit])
    found = {c.pk: c for c in _customer_base().filter(pk__in=exact_ids)} if exact_ids else {}
    ordered = [found[pk] for pk in exact_ids if pk in found]
    seen = set(found)
    ordered.extend(c for c in by_name if c.pk not in seen)
    return ordered[:limit]


# a search lists at most this many customers: past it the page says "plus de 1000" and
# asks for a finer search. The page ranks the cap's worth of nearest names (one more to
# know it is passed) where the 20 best rank NAME_CANDIDATES: at 1 M customers "Martin"
# costs ~75 ms against ~20 ms (docs/benchmarks.md, "Name search"); an exact count past
# the cap would be a pass over every match, for a number nobody pages through
SEARCH_COUNT_CAP = 1000


@dataclass
class SearchPage:
    """One page of a search: its customers, with what tells namesakes apart loaded, and
    how many match in all (`capped`: more than `count`, which is then SEARCH_COUNT_CAP)."""

    lines: list[SearchLine]
    page: Page
    count: int
    capped: bool

    @property
    def customers(self) -> list[Customer]:
        return [line.customer for line in self.lines]


def customers_distinguishable() -> QuerySet[Customer]:
    """Customers with what a line of results shows to tell namesakes apart
    (distinguishers.search_line): segment, home agency, usual contact and their agency,
    and the phones (`phone_points`); two queries for any number of customers."""
    return (
        _customer_base()
        .select_related("usual_contact__agency")
        .prefetch_related(
            Prefetch(
                "contact_points",
                queryset=ContactPoint.objects.filter(kind=ContactKind.PHONE).order_by("id"),
                to_attr="phone_points",
            )
        )
    )


def _search_ids(text: str, cap: int) -> list[int]:
    """Every customer the text finds, in the search's order (exact contact or card
    matches first, then names by rank, then id), at most `cap` of them."""
    exact_ids = _exact_ids(text, cap)
    # the `cap` nearest names hold every name above the threshold when there are fewer
    # than `cap` of them: the count is exact up to the cap
    by_name = list(customers_named(text, candidates=cap).values_list("id", flat=True)[:cap])
    seen = set(exact_ids)
    return (exact_ids + [pk for pk in by_name if pk not in seen])[:cap]


def customer_search_page(
    *, query: str, page: int | str | None = 1, per_page: int = SEARCH_LIMIT
) -> SearchPage:
    """customer_search, paged: every match can be reached, the total is known, and each
    customer comes with what tells namesakes apart (birth date, address, usual contact
    and their agency, segment, phones). A fixed number of queries whatever the page."""
    text = search_query_clean(query)
    ids = _search_ids(text, SEARCH_COUNT_CAP + 1) if text else []
    capped = len(ids) > SEARCH_COUNT_CAP
    ids = ids[:SEARCH_COUNT_CAP]
    shown = Paginator(ids, per_page).get_page(page)
    page_ids = list(shown.object_list)
    loaded = customers_distinguishable().in_bulk(page_ids) if page_ids else {}
    lines = [search_line(loaded[pk]) for pk in page_ids if pk in loaded]
    return SearchPage(lines=lines, page=shown, count=len(ids), capped=capped)


@dataclass
class CallerMatch:
    customer: Customer
    usual_contact_available: bool | None
    open_requests: list[Request] = field(default_factory=list)
    latest_touchpoints: list[Touchpoint] = field(default_factory=list)


def agent_available_today(agent: Agent | None, today: datetime.date | None = None) -> bool | None:
    """None when there is no usual contact; absences are prefetched by the caller."""
    if agent is None:
        return None
    today = today or timezone.localdate()
    away = any(a.start <= today <= a.end for a in agent.absences.all())
    open_today = bool(agent.agency.opening_hours.get(str(today.isoweekday())))
    return open_today and not away


def customers_by_phone(*, raw: str, latest: int = 5) -> list[CallerMatch]:
    """Everyone who uses this number (a shared landline lists them all), with their context."""
    phone = phone_try_normalize(raw)
    if phone is None:
        return []
    customers = list(
        _customer_base()
        .filter(contact_points__kind=ContactKind.PHONE, contact_points__value=phone)
        .select_related("usual_contact__agency")
        .prefetch_related(
            "usual_contact__absences",
            Prefetch(
                "requests",
                queryset=Request.objects.filter(status__in=OPEN_STATUSES).order_by("deadline"),
                to_attr="open_requests_list",
            ),
            # a sliced prefetch (one windowed query): a shared landline lists many people
            Prefetch(
                "touchpoints",
                queryset=Touchpoint.objects.select_related("agent", "reason").order_by(
                    "-occurred_at", "-id"
                )[:latest],
                to_attr="latest_touchpoints_list",
            ),
        )
        .distinct()
    )
    return [
        CallerMatch(
            customer=customer,
            usual_contact_available=agent_available_today(customer.usual_contact),
            open_requests=customer.open_requests_list,
            latest_touchpoints=customer.latest_touchpoints_list,
        )
        for customer in customers
    ]


def duplicates_find(
    *,
    first_name: str,
    last_name: str,
    birth_date: datetime.date | None,
    phones: list[str],
    emails: list[str],
    exclude_id: int | None = None,
    limit: int = 10,
) -> list[Customer]:
    """Likely existing records of the same person: a shared phone or e-mail, or a very
    close name with the same birth date."""
    same_contact = Q(pk__in=[])
    if phones:
        same_contact |= Q(contact_points__kind=ContactKind.PHONE, contact_points__value__in=phones)
    if emails:
        same_contact |= Q(contact_points__kind=ContactKind.EMAIL, contact_points__value__in=emails)
    candidates = list(
        _customer_base().filter(same_contact).exclude(pk=exclude_id).distinct()[:limit]
    )
    if birth_date:
        name = SearchNormalized(Value(f"{first_name} {last_name}"))
        close = (
            _customer_base()
            .filter(birth_date=birth_date)
            .annotate(rank=TrigramWordSimilarity(name, "search_name"))
            .filter(rank__gte=0.6)
            .exclude(pk=exclude_id)
            .order_by("-rank")[:limit]
        )
        known = {c.pk for c in candidates}
        candidates.extend(c for c in close if c.pk not in known)
    return candidates[:limit]


def customer_detail(*, customer_id: int) -> Customer:
    """Everything on the customer page but the timeline, in a fixed number of queries."""
    return (
        _customer_base()
        .select_related("usual_contact__agency")
        .prefetch_related(
            "contact_points",
            "identifiers",
            "usual_contact__absences",
            Prefetch(
                "requests",
                queryset=Request.objects.filter(status__in=OPEN_STATUSES)
                .select_related("assignee", "reason", "partner")
                .order_by("deadline"),
                to_attr="open_requests_list",
            ),
        )
        .get(pk=customer_id)
    )


TIMELINE_PAGE = 20


def timeline_page(
    *,
    customer: Customer,
    before: tuple[datetime.datetime, int] | None = None,
    size: int = TIMELINE_PAGE,
) -> tuple[list[Touchpoint], tuple | None]:
    """One page of the timeline, newest first, keyset-paginated on (occurred_at, id)."""
    queryset = (
        Touchpoint.objects.filter(customer=customer)
        .select_related("agent", "agency", "reason", "request", "gesture")
        # the received message an e-mail or form contact came from (its "Voir le message"):
        # a subquery, not a sixth join, which more than doubled the query's planning time
        # (5 ms of the customer page, for 0.2 ms of execution)
        .annotate(
            inbound_message_pk=Subquery(
                InboundMessage.objects.filter(touchpoint=OuterRef("pk")).values("id")[:1]
            )
        )
        .order_by("-occurred_at", "-id")
    )
    if before is not None:
        moment, pk = before
        queryset = queryset.filter(Q(occurred_at__lt=moment) | Q(occurred_at=moment, id__lt=pk))
    rows = list(queryset[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    cursor = (rows[-1].occurred_at, rows[-1].pk) if more and rows else None
    return rows, cursor


def contact_points_of(customer: Customer) -> tuple[list[ContactPoint], list[ContactPoint]]:
    points = list(customer.contact_points.all())
    return (
        [p for p in points if p.kind == ContactKind.PHONE],
        [p for p in points if p.kind == ContactKind.EMAIL],
    )


def open_requests_of(*, customer: Customer) -> list[Request]:
    return list(
        Request.objects.filter(customer=customer, status__in=OPEN_STATUSES)
        .select_related("assignee", "reason", "partner")
        .order_by("deadline")
    )
