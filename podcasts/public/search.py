"""Search over published episodes: titles, descriptions, intros and transcripts.

Both databases run a real full-text search over the indexes of ``podcasts.fulltext``:
FTS5 with BM25 ranking on SQLite, tsvector with ``ts_rank`` on PostgreSQL, English
stemming on both. A query is parsed here, once, into what either understands, so user
input is never query syntax: words must all occur; ``"a phrase"`` in this order;
``word*`` any word starting so; ``-word`` excludes; ``a or b`` either. Ranking covers
every matching episode; the snippet (FTS5 ``snippet``, ``ts_headline``) is computed
only for the page of results shown.
"""

import re
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db import connection
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from podcasts.fulltext import CONFIG, DOCUMENT, EPISODES, LINES
from podcasts.models import Episode

PAGE_SIZE = 20
MAX_QUERY_CHARACTERS = 200
SNIPPET_WORDS = 30
SHOWN_FIELDS = ("slug", "title", "season", "number", "description")  # what the results page shows of an episode
# Private-use characters mark the highlighted words until the text is escaped.
START, STOP = "\ue000", "\ue001"

TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
WORD = re.compile(r"[^\W_]+")  # what FTS5's unicode61 tokenizer calls a word: letters and digits


@dataclass
class Result:
    episode: Episode
    snippet: SafeString | None = None  # the best matching transcript line, matches in <mark>
    position: int | None = None  # that line's position, for the #t-<position> anchor


@dataclass(frozen=True)
class Term:
    text: str  # as typed (PostgreSQL parses it as it parsed the documents)
    words: tuple[str, ...]  # its letters-and-digits words (what FTS5 is given)
    prefix: bool = False


@dataclass
class Query:
    required: list[list[Term]] = field(default_factory=list)  # each group: one of its terms must match
    excluded: list[Term] = field(default_factory=list)

    def __bool__(self):
        return bool(self.required)


@dataclass
class Hit:
    episode_id: int
    field_rank: float  # of the title, description and intro; 0 when only the transcript matches
    line_rank: float  # of the best matching transcript line; 0 when none does
    line_id: int | None
    position: int | None


def normalize_query(query: str) -> str:
    """The query as searched, shown and cached: control characters (PostgreSQL refuses
    NUL outright) count as spaces, runs of spaces as one, and it is cut to a sane length."""
    printable = "".join(char if char.isprintable() else " " for char in query)
    return " ".join(printable.split())[:MAX_QUERY_CHARACTERS]


def parse(query: str) -> Query:
    """The words, phrases, prefixes, exclusions and alternatives of ``query``; anything
    else (stray quotes, operators of either database, punctuation) only separates words.
    A query that excludes without requiring anything finds nothing."""
    parsed, either = Query(), False
    for match in TOKEN.finditer(normalize_query(query)):
        negated, phrase, bare = match.groups()
        if bare is not None and bare.casefold() == "or":
            either = bool(parsed.required)
            continue
        if bare is not None:
            negated, bare = ("-", bare[1:]) if bare.startswith("-") else ("", bare)
        text = phrase if phrase is not None else bare.rstrip("*")
        words = tuple(WORD.findall(text))
        if not words:
            continue
        term = Term(text, words, prefix=bare is not None and bare.endswith("*"))
        if negated:
            parsed.excluded.append(term)
        elif either:
            parsed.required[-1].append(term)
        else:
            parsed.required.append([term])
        either = False
    return parsed


def search(query: str, page_number=1) -> Page:
    """One page (``PAGE_SIZE``) of the published episodes that match, best first: a
    Django ``Page`` of ``Result``s (a ``page_number`` that is no number gives the first, too large the last)."""
    parsed = parse(query)
    backend = Postgres if connection.vendor == "postgresql" else Sqlite
    hits = _ranked(backend, parsed) if parsed else []
    page = Paginator(hits, PAGE_SIZE).get_page(page_number)
    page.object_list = _results(backend, parsed, page.object_list)
    return page


def _ranked(backend, parsed: Query) -> list[Hit]:
    """Episodes matching in their title, description or intro first, then those matching only
    in their transcript; within each, by the database's rank, then newest first. (BM25 scores
    of two indexes are not comparable: a word in every episode's title has almost no weight.)"""
    field_ranks = backend.episode_ranks(parsed)
    lines = backend.best_lines(parsed)
    matching = (field_ranks.keys() | lines.keys()) & set(Episode.objects.published().order_by().values_list("pk", flat=True))
    hits = []
    for pk in matching:
        line_id, position, line_rank = lines.get(pk, (None, None, 0.0))
        hits.append(Hit(pk, field_ranks.get(pk, 0.0), line_rank, line_id, position))
    newest = _season_and_number() if hits else {}
    hits.sort(key=lambda hit: (-hit.field_rank, -hit.line_rank, *newest[hit.episode_id]))
    return hits


def _season_and_number() -> dict[int, tuple[int, int]]:
    """Every episode's sort key, newest first. Read whole from the (season, number) index: on
    SQLite these columns sit behind the long layout and body, in the row's overflow pages."""
    rows = Episode.objects.order_by().values_list("pk", "season", "number")
    return {pk: (-(season or 0), -(number or 0)) for pk, season, number in rows}


def _results(backend, parsed: Query, hits: list[Hit]) -> list[Result]:
    shown = Episode.objects.published().only(*SHOWN_FIELDS)
    episodes = shown.in_bulk([hit.episode_id for hit in hits])
    snippets = backend.snippets(parsed, [hit.line_id for hit in hits if hit.line_id is not None])
    return [
        Result(episodes[hit.episode_id], _html(snippets[hit.line_id]) if hit.line_id in snippets else None, hit.position)
        for hit in hits
        if hit.episode_id in episodes  # unpublished in between
    ]


def _html(marked: str) -> SafeString:
    return mark_safe(escape(marked).replace(START, "<mark>").replace(STOP, "</mark>"))


def _rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


class Sqlite:
    """FTS5: ``rank`` is BM25, lower is better."""

    @staticmethod
    def match(parsed: Query) -> str:
        """The FTS5 query: every word quoted, so nothing the user typed is FTS5 syntax."""

        def term(term: Term) -> str:
            return '"' + " ".join(term.words) + '"' + ("*" if term.prefix else "")

        def any_of(terms: list[Term]) -> str:
            return "(" + " OR ".join(map(term, terms)) + ")"

        required = " AND ".join(map(any_of, parsed.required))
        return f"({required}) NOT {any_of(parsed.excluded)}" if parsed.excluded else required

    @classmethod
    def episode_ranks(cls, parsed: Query) -> dict[int, float]:
        fts = EPISODES.fts
        # The title weighs 2.5 times the description and intro, as PostgreSQL's weights A and B do.
        sql = f"SELECT rowid, bm25({fts}, 2.5, 1.0, 1.0) FROM {fts} WHERE {fts} MATCH %s"
        return {pk: -bm25 for pk, bm25 in _rows(sql, [cls.match(parsed)])}

    @classmethod
    def best_lines(cls, parsed: Query) -> dict[int, tuple[int, int, float]]:
        """Each matching episode's best line: id, position and rank."""
        fts, table = LINES.fts, LINES.table
        # SQLite takes the bare columns of a MIN() aggregate from the row that has the minimum.
        sql = (
            f"SELECT line.episode_id, line.id, line.position, MIN({fts}.rank) FROM {fts} "
            f"JOIN {table} line ON line.id = {fts}.rowid WHERE {fts} MATCH %s GROUP BY line.episode_id"
        )
        return {episode: (line, position, -bm25) for episode, line, position, bm25 in _rows(sql, [cls.match(parsed)])}

    @classmethod
    def snippets(cls, parsed: Query, line_ids: list[int]) -> dict[int, str]:
        if not line_ids:
            return {}
        fts = LINES.fts
        sql = (
            f"SELECT rowid, snippet({fts}, 0, %s, %s, '…', {SNIPPET_WORDS}) FROM {fts} "
            f"WHERE {fts} MATCH %s AND rowid IN ({', '.join(['%s'] * len(line_ids))})"
        )
        return dict(_rows(sql, [START, STOP, cls.match(parsed), *line_ids]))


class Postgres:
    """The stored tsvector documents and their GIN indexes; ``ts_rank``, higher is better."""

    @staticmethod
    def tsquery(parsed: Query) -> tuple[str, list]:
        """The tsquery as SQL and parameters: the user's text only ever as a parameter of
        ``phraseto_tsquery``, or as quoted letters and digits for a prefix."""
        params = []

        def term(term: Term) -> str:
            if term.prefix:
                params.append(" <-> ".join(f"'{word}'" for word in term.words) + ":*")
                return f"to_tsquery('{CONFIG}', %s)"
            params.append(term.text)
            return f"phraseto_tsquery('{CONFIG}', %s)"

        def any_of(terms: list[Term]) -> str:
            return "(" + " || ".join(map(term, terms)) + ")"

        sql = " && ".join(map(any_of, parsed.required))
        if parsed.excluded:
            sql = f"({sql}) && !!{any_of(parsed.excluded)}"
        return sql, params

    @classmethod
    def episode_ranks(cls, parsed: Query) -> dict[int, float]:
        tsquery, params = cls.tsquery(parsed)
        sql = (
            f"SELECT id, ts_rank({DOCUMENT}, query) FROM {EPISODES.table}, (SELECT {tsquery} AS query) AS searched "
            f"WHERE {DOCUMENT} @@ query"
        )
        return dict(_rows(sql, params))

    @classmethod
    def best_lines(cls, parsed: Query) -> dict[int, tuple[int, int, float]]:
        tsquery, params = cls.tsquery(parsed)
        sql = (
            f"SELECT DISTINCT ON (episode_id) episode_id, id, position, ts_rank({DOCUMENT}, query) AS rank "
            f"FROM {LINES.table}, (SELECT {tsquery} AS query) AS searched WHERE {DOCUMENT} @@ query "
            "ORDER BY episode_id, rank DESC, position"
        )
        return {episode: (line, position, rank) for episode, line, position, rank in _rows(sql, params)}

    @classmethod
    def snippets(cls, parsed: Query, line_ids: list[int]) -> dict[int, str]:
        if not line_ids:
            return {}
        tsquery, params = cls.tsquery(parsed)
        options = f"StartSel={START}, StopSel={STOP}, MaxWords={SNIPPET_WORDS}, MinWords=15"
        sql = (
            f"SELECT id, ts_headline('{CONFIG}', text, query, %s) FROM {LINES.table}, (SELECT {tsquery} AS query) AS searched "
            "WHERE id = ANY(%s)"
        )
        return dict(_rows(sql, [options, *params, line_ids]))
