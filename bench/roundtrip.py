"""Import, re-import and export the corpus episodes; compare with bare PyYAML.

    .venv/bin/python bench/roundtrip.py [--corpus DIR]

Runs against a throw-away test database created from DATABASE_URL (SQLite
by default; set DATABASE_URL=postgres://... for PostgreSQL). Prints seconds
and the ratios the targets are stated in:
first import <= 2x bare CSafeLoader parse, unchanged re-import <= 0.3x,
export <= 1.5x bare CSafeDumper dump of the same front matters.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")


def timed(function):
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path(os.environ.get("CORPUS_DIR", ROOT.parent / "shared" / "corpus")))
    args = parser.parse_args()
    episodes_dir = args.corpus / "episodes"
    if not episodes_dir.is_dir():
        sys.exit(f"no corpus at {episodes_dir}: pass --corpus or set CORPUS_DIR")

    import django

    django.setup()
    import yaml
    from django.db import connection

    from podcasts.files import exporting, frontmatter, importing
    from podcasts.models import Episode

    files = sorted(episodes_dir.glob("*.md"))
    fronts = [frontmatter._split(path.read_text(encoding="utf-8"))[1] for path in files]
    size = sum(path.stat().st_size for path in files)
    bare_parse, datas = timed(lambda: [yaml.load(front, Loader=yaml.CSafeLoader) for front in fronts])
    bare_dump, _ = timed(
        lambda: [yaml.dump(data, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True, width=80) for data in datas]
    )

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        first, report = timed(lambda: importing.import_paths(importing.EPISODES, [episodes_dir]))
        assert report.counts[importing.CREATED] == len(files), report.summary()
        again, report = timed(lambda: importing.import_paths(importing.EPISODES, [episodes_dir]))
        assert report.counts[importing.UNCHANGED] == len(files), report.summary()
        with tempfile.TemporaryDirectory() as out:
            export, _ = timed(lambda: exporting.export_to_dir(exporting.export_queryset(Episode), Path(out)))
            _, (_, differences) = timed(lambda: exporting.compare_with_dir(exporting.export_queryset(Episode), episodes_dir))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    print(f"corpus: {len(files)} episode files, {size / 1e6:.1f} MB, database: {connection.vendor}")
    print(f"bare CSafeLoader parse   {bare_parse:6.2f} s")
    print(f"bare CSafeDumper dump    {bare_dump:6.2f} s")
    print(f"first import             {first:6.2f} s  {first / bare_parse:5.2f}x parse  (target <= 2.0x)")
    print(f"unchanged re-import      {again:6.2f} s  {again / bare_parse:5.2f}x parse  (target <= 0.3x)")
    print(f"export                   {export:6.2f} s  {export / bare_dump:5.2f}x dump   (target <= 1.5x)")
    print(f"round trip differences   {len(differences)}")


if __name__ == "__main__":
    main()
