"""Search over published episodes: titles, descriptions, intros and transcripts.

PostgreSQL ranks with its full-text search (English stemming, ``websearch``
syntax, GIN indexes from migration 0003). Other databases get a plain
substring fallback: every word must occur, more occurrences rank higher. Both
return the same ``Result``s, so the results page does not know which ran.
"""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Q
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from podcasts.models import Episode, TranscriptLine

CONFIG = "english"
MAX_RESULTS = 50
MAX_QUERY_CHARACTERS = 200
SNIPPET_WORDS = 30
# Private-use characters mark the highlighted words until the text is escaped.
START, STOP = "\ue000", "\ue001"


@dataclass
class Result:
    episode: Episode
    rank: float
    snippet: SafeString | None = None  # the best matching transcript line, matches in <mark>
    position: int | None = None  # that line's position, for the #t-<position> anchor


def normalize_query(query: str) -> str:
    """The query as searched, shown and cached: control characters (PostgreSQL refuses
    NUL outright) count as spaces, runs of spaces as one, and it is cut to a sane length."""
    printable = "".join(char if char.isprintable() else " " for char in query)
    return " ".join(printable.split())[:MAX_QUERY_CHARACTERS]


def search(query: str) -> list[Result]:
    query = normalize_query(query)
    if not query:
        return []
    backend = _postgres if connection.vendor == "postgresql" else _fallback
    field_ranks, lines = backend(query)
    episodes = Episode.objects.published().in_bulk(field_ranks.keys() | lines.keys())
    results = []
    for pk, episode in episodes.items():
        position, snippet, line_rank = lines.get(pk, (None, None, 0.0))
        # A match in the title, description or intro says more than one in a long transcript.
        rank = 2 * field_ranks.get(pk, 0.0) + line_rank
        results.append(Result(episode, rank, _html(snippet) if snippet else None, position))
    results.sort(key=lambda result: (-result.rank, -(result.episode.season or 0), -(result.episode.number or 0)))
    return results[:MAX_RESULTS]


def _html(marked: str) -> SafeString:
    return mark_safe(escape(marked).replace(START, "<mark>").replace(STOP, "</mark>"))


def episode_vector():
    return SearchVector("title", "description", "intro", config=CONFIG)


def line_vector():
    return SearchVector("text", config=CONFIG)


def _postgres(query: str):
    search_query = SearchQuery(query, config=CONFIG, search_type="websearch")
    published = Episode.objects.published()
    weighted = SearchVector("title", weight="A", config=CONFIG) + SearchVector("description", "intro", weight="B", config=CONFIG)
    field_ranks = dict(
        published.annotate(document=episode_vector())
        .filter(document=search_query)
        .annotate(rank=SearchRank(weighted, search_query))
        .values_list("pk", "rank")
    )
    best = (
        TranscriptLine.objects.filter(episode__in=published.values("pk"))
        .annotate(document=line_vector())
        .filter(document=search_query)
        .annotate(rank=SearchRank(line_vector(), search_query))
        .order_by("episode_id", "-rank", "position")
        .distinct("episode_id")
        .values_list("pk", "rank")
    )
    line_ranks = dict(best)
    highlighted = TranscriptLine.objects.filter(pk__in=line_ranks).annotate(
        headline=SearchHeadline(
            "text", search_query, config=CONFIG, start_sel=START, stop_sel=STOP, max_words=SNIPPET_WORDS, min_words=15
        )
    )
    lines = {
        line.episode_id: (line.position, line.headline, line_ranks[line.pk])
        for line in highlighted.only("pk", "episode_id", "position").order_by()
    }
    return field_ranks, lines


def _fallback(query: str):
    terms = list(dict.fromkeys(query.casefold().split()))
    published = Episode.objects.published()
    fields = published
    for term in terms:
        fields = fields.filter(Q(title__icontains=term) | Q(description__icontains=term) | Q(intro__icontains=term))
    field_ranks = {
        pk: 3 * _count(title, terms) + _count(f"{description} {intro}", terms)
        for pk, title, description, intro in fields.values_list("pk", "title", "description", "intro")
    }
    candidates = TranscriptLine.objects.filter(episode__in=published.values("pk"))
    for term in terms:
        candidates = candidates.filter(text__icontains=term)
    lines = {}
    for episode_id, position, text in candidates.order_by("position").values_list("episode_id", "position", "text"):
        rank = _count(text, terms)
        if episode_id not in lines or rank > lines[episode_id][2]:
            lines[episode_id] = (position, _highlight(text, terms), rank)
    return field_ranks, lines


def _count(text: str, terms: list[str]) -> int:
    text = text.casefold()
    return sum(text.count(term) for term in terms)


def _highlight(text: str, terms: list[str]) -> str:
    """The words around the first match, matches between START and STOP."""
    pattern = re.compile("|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True)), re.IGNORECASE)
    marked = pattern.sub(lambda match: f"{START}{match.group()}{STOP}", text)
    words = marked.split()
    first = next((index for index, word in enumerate(words) if START in word), 0)
    start = max(0, first - SNIPPET_WORDS // 3)
    window = words[start : start + SNIPPET_WORDS]
    return ("… " if start else "") + " ".join(window) + (" …" if start + SNIPPET_WORDS < len(words) else "")
