"""Search under load: random two-word queries, one client and 50, at the corpus size and at 2,000 episodes.

    .venv/bin/python bench/search.py [--database-url URL] [--seconds 10] [--workers 4] [--corpus DIR]

Imports the corpus into a throw-away SQLite database, or into ``--database-url``
(a PostgreSQL database this bench EMPTIES first), serves it with gunicorn as
``bench/public_pages.py`` does, but with no page cache (``dummycache://``: every
query is searched), and loads ``/search/?q=`` with two words drawn at random:

* ``vocabulary``: two distinct words of the corpus (titles, descriptions,
  transcripts; letters only, three or more) drawn uniformly, as the targets say;
* ``frequent``: two words drawn as often as they occur in the text (``data``,
  ``people``, ``the``): many more matches, the hard case.

Prints p50/p99 of one client, then requests/s with ``--concurrency`` clients next to
a static file of a results page's size. Then copies episodes under new slugs up to
2,000 episodes (about 12x the corpus) and measures again. Targets: at the corpus
size, one client, p50 <= 20 ms and p99 <= 100 ms; at 2,000 episodes, p50 <= 50 ms.
"""

import argparse
import asyncio
import collections
import os
import random
import re
import shutil
import sys
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

from public_pages import ROOT, Server, import_corpus, load, manage, print_figures, site_env, static_file

from podcasts.files import frontmatter

LARGE = 2000  # episodes
WORD = re.compile(r"[a-z]{3,}")


def corpus_words(episodes: Path) -> collections.Counter:
    """How often each word occurs in the titles, descriptions and transcripts."""
    counts = collections.Counter()
    for path in episodes.glob("*.md"):
        data = frontmatter.parse(path.read_bytes()).data
        texts = [data.get("title"), data.get("description")]
        texts += [item.get("line") or item.get("header") for item in data.get("transcript") or []]
        for text in texts:
            if isinstance(text, str):
                counts.update(WORD.findall(text.lower()))
    return counts


def query_paths(counts: collections.Counter, seed: int):
    """The two ways of drawing queries, as functions giving a new /search/ path each call."""
    rng = random.Random(seed)
    vocabulary = sorted(counts)
    words, weights = list(counts), list(counts.values())

    def path(pair):
        return "/search/?" + urllib.parse.urlencode({"q": " ".join(pair)})

    return {
        "vocabulary": lambda: path(rng.sample(vocabulary, 2)),
        "frequent": lambda: path(rng.choices(words, weights, k=2)),
    }


def copy_episodes(episodes: Path, into: Path, total: int) -> None:
    """Files of the corpus episodes under new slugs, so that with the corpus there are ``total``."""
    originals = sorted(episodes.glob("*.md"))
    for number in range(total - len(originals)):
        source = originals[number % len(originals)]
        (into / f"{source.stem}-copy-{number // len(originals) + 1}.md").write_bytes(source.read_bytes())


def measure(env, workers: int, seconds: float, concurrency: int, paths: dict, label: str) -> None:
    with Server(env, workers) as server:
        size = len(urllib.request.urlopen(server.url + "/search/?q=data+science").read())
    with static_file(size) as static_path, Server(env, workers) as server:
        asyncio.run(load(server.port, paths["vocabulary"], 1, concurrency))  # warm up every worker
        print(f"\n{label}: one client, {seconds:g} s each (no page cache: every query is searched)")
        print(f"{'queries':<11} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
        # /robots.txt: a page through the same middleware that reads no more than the version: the
        # cost of any request on this machine at this moment, to read the others against.
        for name, path in [("robots.txt", "/robots.txt"), *paths.items()]:
            figures = asyncio.run(load(server.port, path, seconds, 1))
            print(f"{name:<11} {figures['rps']:>8.0f} {figures['p50']:>8.1f} {figures['p99']:>8.1f} {figures['errors']:>7}")
        print(f"\n{label}: {concurrency} concurrent clients, gunicorn --workers {workers}; results page ~{size:,} bytes")
        results = {"static file": asyncio.run(load(server.port, static_path, seconds, concurrency))}
        for name, path in paths.items():
            results[f"search {name}"] = asyncio.run(load(server.port, path, seconds, concurrency))
        print_figures(results)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="a PostgreSQL database to empty and use (default: a throw-away SQLite file)")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--corpus", type=Path, default=Path(os.environ.get("CORPUS_DIR", ROOT.parent / "shared" / "corpus")))
    args = parser.parse_args()
    if not (args.corpus / "episodes").is_dir():
        sys.exit(f"no corpus at {args.corpus}: pass --corpus or set CORPUS_DIR")

    workdir = Path(tempfile.mkdtemp(prefix="bench-search-"))
    env = site_env(args.database_url or f"sqlite:///{workdir / 'db.sqlite3'}", CACHE_URL="dummycache://")
    try:
        if args.database_url:
            manage(env, "migrate", "--no-input", "-v0")
            manage(env, "flush", "--no-input")
        print(f"importing the corpus into {env['DATABASE_URL'].split(':')[0]} ...", flush=True)
        import_corpus(env, args.corpus)
        paths = query_paths(corpus_words(args.corpus / "episodes"), seed=11)
        episodes = len(list((args.corpus / "episodes").glob("*.md")))
        measure(env, args.workers, args.seconds, args.concurrency, paths, f"corpus, {episodes} episodes")

        copies = workdir / "copies"
        copies.mkdir()
        copy_episodes(args.corpus / "episodes", copies, LARGE)
        print(f"\nimporting copies up to {LARGE:,} episodes ...", flush=True)
        manage(env, "import_episodes", "--publish", str(copies))
        measure(env, args.workers, args.seconds, args.concurrency, paths, f"{LARGE:,} episodes")
    finally:
        shutil.rmtree(workdir)
    print(f"\ntargets, one client, vocabulary queries: corpus p50 <= 20 ms and p99 <= 100 ms; {LARGE:,} episodes p50 <= 50 ms")


if __name__ == "__main__":
    main()
