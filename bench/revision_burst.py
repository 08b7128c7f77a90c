"""Time one in-place change's revision bookkeeping at 300 and 3,000 transcript items.

    .venv/bin/python bench/revision_burst.py [--changes 50]

Runs against a throw-away test database created from DATABASE_URL (SQLite by default).
Each change is what the in-place editor does: in one transaction, ``bump_version`` as
the editor, one line's text changed, ``record_revision``. Prints the median per change
when the change joins the editor's burst (no export) and, for comparison, when each
change stores its own exported revision (``bump_version`` without ``editor``), then the
cost of settling the burst (one export) and of the revisions page that reads it.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=50)
    args = parser.parse_args()

    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.db import connection, transaction

    from podcasts.editorial.revisions import record_revision, settle_stale
    from podcasts.editorial.versions import bump_version
    from podcasts.models import Episode, Revision, TranscriptLine

    def change(episode, user, position, editor):
        with transaction.atomic():
            bump_version([episode.pk], editor=user if editor else None)
            TranscriptLine.objects.filter(episode=episode, position=position).update(text=f"Changed {time.perf_counter()}")
            record_revision(episode, Revision.Reason.EDIT, user=user)

    def median_ms(episode, user, editor):
        times = []
        for n in range(args.changes):
            start = time.perf_counter()
            change(episode, user, n % 100, editor)
            times.append(time.perf_counter() - start)
        return statistics.median(times) * 1000

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        user = User.objects.create(username="bench")
        print(f"database: {connection.vendor}, {args.changes} changes each")
        for items in (300, 3000):
            episode = Episode.objects.create(slug=f"bench-{items}", title="Bench")
            TranscriptLine.objects.bulk_create(
                TranscriptLine(episode=episode, position=n, text=f"Line {n} " + "words " * 15, speaker="Alexey", sec=n)
                for n in range(items)
            )
            burst = median_ms(episode, user, editor=True)
            start = time.perf_counter()
            settle_stale(episode_ids=[episode.pk])
            settle = (time.perf_counter() - start) * 1000
            each = median_ms(episode, user, editor=False)
            print(
                f"{items:>5} items: burst change {burst:6.1f} ms   own revision per change {each:6.1f} ms   "
                f"settling the burst once {settle:6.1f} ms"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
