"""Plain helpers shared by test modules: where the fixture files are, and running a command."""

from io import StringIO
from pathlib import Path

from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SEED_EPISODE = FIXTURES / "episodes" / "s12e01-from-software-engineer-to-data-science-manager.md"
SEED_GUEST = FIXTURES / "people" / "sadatanwar.md"
SEED_SLUG = SEED_EPISODE.name.removesuffix(".md")


def run(command, *args) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of a management command."""
    out, err = StringIO(), StringIO()
    try:
        call_command(command, *map(str, args), stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue(), err.getvalue()
