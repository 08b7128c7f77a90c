"""Weigh and time the transcript editor: the page, and one change made in place.

    .venv/bin/python bench/editor.py [--corpus DIR] [--runs 10]

Imports the longest corpus episode (``developer-personal-brand-learn-in-public``,
298 items) into a throw-away SQLite database with production settings (DEBUG off)
and, through Django's test client in this process (server time, no network):

* the editor's HTML size and first-load time (targets: <= 150 KB, <= 300 ms);
* one in-place change of a line's text, as the page's script sends it: response
  size and time (targets: <= 10 KB, <= 50 ms), at 300 items and again after lines
  are added up to 3,000 (its cost must not grow with the items), and 10,000.

Times are medians of ``--runs``.
"""

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SLUG = "developer-personal-brand-learn-in-public"


def timed(call, runs: int) -> tuple[float, int]:
    """Median milliseconds of ``call()`` and the size of its last response."""
    times, size = [], 0
    for run in range(runs):
        start = time.perf_counter()
        response = call(run)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
        size = len(response.content)
    return statistics.median(times), size


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="bench-editor-")
    os.environ.update(
        DATABASE_URL=f"sqlite:///{folder}/bench.sqlite3",
        DJANGO_SETTINGS_MODULE="config.settings",
        SECRET_KEY=secrets.token_urlsafe(40),
        DEBUG="false",
    )
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from podcasts import timecode
    from podcasts.editorial import transcript
    from podcasts.editorial.transcript import fingerprint
    from podcasts.models import Episode, TranscriptLine

    revision_ms = []  # the share of a change spent storing its revision (editorial.revisions)
    record_revision = transcript.record_revision

    def timed_revision(*args, **kwargs):
        start = time.perf_counter()
        record_revision(*args, **kwargs)
        revision_ms.append((time.perf_counter() - start) * 1000)

    transcript.record_revision = timed_revision

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--no-input", verbosity=0)  # production settings serve hashed names
    call_command("import_guests", str(args.corpus / "people"), stdout=open(os.devnull, "w"))
    call_command("import_episodes", str(args.corpus / "episodes" / f"{SLUG}.md"), stdout=open(os.devnull, "w"))
    episode = Episode.objects.get(slug=SLUG)
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(User.objects.create_superuser("bench", password=secrets.token_urlsafe()))
    url = reverse("admin:podcasts_episode_transcript", args=[episode.pk])

    def change(run):
        line = episode.transcript.filter(kind="line").order_by("position")[10]
        data = {f"s{line.pk}": line.speaker or "", f"m{line.pk}": line.time or ""}
        data[f"t{line.pk}:{fingerprint(line)}"] = f"{line.text.split(' [')[0]} [{run}]"
        return client.post(url, data, headers={"HX-Request": "true"}, secure=True)

    print(f"SQLite, {os.cpu_count()} cores, median of {args.runs}")
    for target in (None, 3_000, 10_000):
        if target:
            count, last = episode.transcript.count(), episode.transcript.exclude(sec=None).last().sec
            TranscriptLine.objects.bulk_create(  # well-formed lines: the audit finds nothing new in them
                TranscriptLine(
                    episode=episode,
                    position=count + n,
                    text=f"Added line {n}.",
                    speaker="Alexey",
                    sec=last + n,
                    time=timecode.format(last + n),
                )
                for n in range(target - count)
            )
        items = episode.transcript.count()
        client.get(url, secure=True)  # the first load of a version also audits the episode: measured apart below
        page_ms, page_size = timed(lambda run: client.get(url, secure=True), args.runs)
        revision_ms.clear()
        change_ms, change_size = timed(change, args.runs)
        stored_ms = statistics.median(revision_ms)
        audited_ms, _ = timed(lambda run: (change(run), client.get(url, secure=True))[1], max(3, args.runs // 3))
        print(
            f"{items:>6,} items  editor page {page_size / 1000:7.1f} KB {page_ms:6.0f} ms"
            f" (after a change, with the audit: {audited_ms - change_ms:5.0f} ms)"
            f"   one change in place {change_size / 1000:5.1f} KB {change_ms:5.0f} ms"
            f" ({stored_ms:5.0f} ms of it storing the revision)"
        )


if __name__ == "__main__":
    main()
