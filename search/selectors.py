"""Site search over letters (with their PDF text), responses, events and jurisdictions.

PostgreSQL: ranked full-text search with highlighted snippets. Other databases (SQLite
for local use): case-insensitive substring match, snippet cut around the first hit.
"""

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Concat
from django.utils.html import escape
from django.utils.safestring import mark_safe

from jurisdictions.models import Jurisdiction
from letters.models import Event, Letter, Response

RESULTS_PER_KIND = 25
SEARCHED_LETTER_FIELDS = ["addressee", "notes", "document_text"]  # as stored in migrations/0002
# The tsvector column search/migrations/0002 stores on each searched table (PostgreSQL).
STORED_DOCUMENT = "search_document"
SNIPPET_CHARS = 90
QUERY_MAX_CHARS = 200  # longer queries are cut to this
# What can be searched (?kind=), with the name the page shows for it.
KINDS = {"letter": "Letters", "response": "Responses", "event": "Events", "jurisdiction": "Jurisdictions"}


@dataclass
class Hit:
    kind: str
    title: str
    url: str
    snippet: str
    rank: float


# kind: (queryset, searched fields, title, url). Only a model's own columns are searched,
# as PostgreSQL stores their documents (search/migrations/0002); letters are also
# found through their recipient's jurisdiction hit.
def _targets():
    return {
        "letter": (
            Letter.objects.select_related("recipient", "program"),
            SEARCHED_LETTER_FIELDS,
            lambda o: f"{o.program.short_name} letter to {o.recipient.name}",
            lambda o: o.get_absolute_url(),
        ),
        "response": (
            Response.objects.select_related("letter__recipient"),
            ["responder", "summary"],
            lambda o: f"{o.responder} ({o.letter.recipient.name})",
            lambda o: o.letter.get_absolute_url(),
        ),
        "event": (Event.objects.all(), ["title", "summary"], lambda o: o.title, lambda o: o.get_absolute_url()),
        "jurisdiction": (
            Jurisdiction.objects.all(),
            ["name", "notes"],
            lambda o: f"{o.name}, {o.state}",
            lambda o: o.get_absolute_url(),
        ),
    }


def search_site(*, query, kinds=None):
    query = query.strip()
    if not query:
        return []
    hits = []
    for kind, (queryset, fields, title, url) in _targets().items():
        if kinds and kind not in kinds:
            continue
        if connection.vendor == "postgresql":
            rows = _postgres(queryset, fields, query)
        else:
            rows = _fallback(queryset, fields, query)
        hits.extend(Hit(kind, title(obj), url(obj), snippet, rank) for obj, snippet, rank in rows)
    return sorted(hits, key=lambda hit: -hit.rank)


def _postgres(queryset, fields, query):
    from django.contrib.postgres.search import SearchHeadline

    search_query = _search_query(query)
    parts = []
    for field in fields:
        parts += [Coalesce(field, Value(""), output_field=TextField()), Value(" ")]
    text = Concat(*parts, output_field=TextField())
    # PostgreSQL writes the headline after the sort and limit, for the hits shown only.
    rows = _postgres_matches(queryset, search_query).annotate(
        snippet=SearchHeadline(
            text, search_query, config="english", start_sel="<mark>", stop_sel="</mark>", max_words=25, min_words=10
        )
    )[:RESULTS_PER_KIND]
    # The headline's only markup is our <mark> tags; the text around them is escaped here.
    return [(obj, _safe_marks(obj.snippet), obj.rank) for obj in rows]


def _search_query(query):
    from django.contrib.postgres.search import SearchQuery

    return SearchQuery(query, search_type="websearch", config="english")


def _postgres_matches(queryset, search_query):
    """The matches, best first, ranked on the document stored with each row
    (search/migrations/0002), so no row is vectorised on read: most rows match a common
    word, and ranking them all used to run to_tsvector twice per row."""
    from django.contrib.postgres.search import SearchRank, SearchVectorField

    document = RawSQL(f'"{queryset.model._meta.db_table}"."{STORED_DOCUMENT}"', [], output_field=SearchVectorField())
    return (
        queryset.alias(**{STORED_DOCUMENT: document})
        .filter(**{STORED_DOCUMENT: search_query})
        .annotate(rank=SearchRank(document, search_query))
        # Ties by id: equal ranks are common, and the plan would otherwise order them.
        .order_by("-rank", "pk")
    )


def _safe_marks(headline):
    parts = re.split(r"(</?mark>)", headline)
    return mark_safe("".join(part if part in ("<mark>", "</mark>") else escape(part) for part in parts))


def _fallback(queryset, fields, query):
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__icontains": query})
    # The matches' ids first, in one pass over the table, then the first page of them in
    # order. Asked in one step, SQLite walks the order's index reading every row in turn
    # until the page is full: 45 ms to find 2 letters of 50,000 (10 this way). This way
    # the cost is one pass plus sorting the matches, whichever word is searched (40 ms
    # when every letter matches, less than a rare word cost before).
    matches = queryset.filter(condition).values("pk")
    rows = []
    for obj in queryset.filter(pk__in=matches)[:RESULTS_PER_KIND]:
        text = " ".join(str(_value(obj, field) or "") for field in fields)
        rows.append((obj, _highlight(text, query), 0.0))
    return rows


def _value(obj, path):
    for part in path.split("__"):
        obj = getattr(obj, part, None)
    return obj


def _highlight(text, query):
    match = re.search(re.escape(query), text, re.IGNORECASE)
    if not match:
        return escape(text[: SNIPPET_CHARS * 2])
    start = max(match.start() - SNIPPET_CHARS, 0)
    end = min(match.end() + SNIPPET_CHARS, len(text))
    return mark_safe(
        ("…" if start else "")
        + escape(text[start : match.start()])
        + f"<mark>{escape(match.group(0))}</mark>"
        + escape(text[match.end() : end])
        + ("…" if end < len(text) else "")
    )
