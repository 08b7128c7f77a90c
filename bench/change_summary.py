"""Time the import's change summary on a transcript of 20,000 identical short lines.

    .venv/bin/python bench/change_summary.py [--lines N]

Identical items are the worst case for a diff that compares every item with
every other (``difflib.SequenceMatcher`` took 77 s here). Prints seconds and
the summary for: the same transcript, one line changed in the middle, and a
line added at the start with another changed at the end (so that no common
prefix or suffix helps).
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=20_000)
    args = parser.parse_args()

    import django

    django.setup()
    from podcasts.files.importing import describe_changes

    line = {"line": "Yeah.", "who": "Alexey"}
    old = [dict(line) for _ in range(args.lines)]
    middle = [*old[: args.lines // 2], {"line": "No."}, *old[args.lines // 2 + 1 :]]
    both_ends = [{"header": "Start"}, *old[:-1], {"line": "End."}]
    for label, new in (("unchanged", old), ("one line changed", middle), ("one added, one changed", both_ends)):
        start = time.perf_counter()
        changes = describe_changes({"transcript": old}, {"transcript": new})
        seconds = time.perf_counter() - start
        print(f"{args.lines:,} identical lines, {label:<24} {seconds:8.3f} s  {changes}")


if __name__ == "__main__":
    main()
