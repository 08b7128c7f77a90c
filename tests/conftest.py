import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SEED_EPISODE = FIXTURES / "episodes" / "s12e01-from-software-engineer-to-data-science-manager.md"
SEED_GUEST = FIXTURES / "people" / "sadatanwar.md"


@pytest.fixture
def corpus_dir() -> Path:
    """The real corpus (CORPUS_DIR, default ../shared/corpus); tests that need it skip without it."""
    path = Path(os.environ.get("CORPUS_DIR", ROOT.parent / "shared" / "corpus"))
    if not (path / "episodes").is_dir():
        pytest.skip(f"real corpus not found at {path} (set CORPUS_DIR to run the corpus tests)")
    return path


@pytest.fixture
def write_file(tmp_path):
    """Write ``text`` (str or bytes) to ``tmp_path/name`` and return the path."""

    def write(name: str, text: str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode() if isinstance(text, str) else text)
        return path

    return write
