"""Serve the public site with gunicorn and load it: episode page and /podcast/ vs a static file.

    .venv/bin/python bench/public_pages.py [--seconds 10] [--concurrency 8] [--workers 2] [--corpus DIR]

Imports the corpus into a throw-away SQLite database, runs gunicorn on
127.0.0.1 with production settings (DEBUG off, the default local-memory cache:
one per worker, each request reading the content version from the database),
and for a fixed time loads the longest corpus episode's page, ``/podcast/`` and
a static file (served by whitenoise from the same server) of the same size as
the episode page. Prints requests/s, p50/p99 latency and each page's throughput
as a share of the static file's. Target: episode page >= 70%.

The load generator is asyncio in this process: one new connection per request,
as gunicorn's sync workers close each one; it shares the machine with the
server, which caps both figures alike.
"""

import argparse
import asyncio
import contextlib
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATIC_NAME = "bench-same-size.html"
TARGET = 0.7  # the episode page's throughput as a share of the static file's


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


class Server:
    def __init__(self, env, workers: int):
        self.env, self.workers, self.port = env, workers, free_port()
        self.url = f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        gunicorn = Path(sys.executable).with_name("gunicorn")
        command = [str(gunicorn), "config.wsgi", "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers)]
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                urllib.request.urlopen(self.url + "/robots.txt", timeout=1)
                return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("gunicorn did not start")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=10)


async def one_request(port: int, request: bytes) -> tuple[float, int]:
    start = time.perf_counter()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(request)
    data = await reader.read()
    writer.close()
    status = int(data[9:12])
    return time.perf_counter() - start, status


async def load(port: int, path: str | Callable[[], str], seconds: float, concurrency: int) -> dict:
    """``concurrency`` clients request ``path`` (or a new ``path()`` each time) for ``seconds``."""
    latencies, errors = [], 0
    deadline = time.perf_counter() + seconds

    async def client():
        nonlocal errors
        while time.perf_counter() < deadline:
            target = path() if callable(path) else path
            request = f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()
            latency, status = await one_request(port, request)
            if status == 200:
                latencies.append(latency)
            else:
                errors += 1

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100)
    return {"rps": len(latencies) / elapsed, "p50": cuts[49] * 1000, "p99": cuts[98] * 1000, "errors": errors}


def site_env(database_url: str, **settings: str) -> dict:
    """The environment of gunicorn and manage.py: production settings, ``database_url``."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "CACHE_URL": "locmemcache://",
        **settings,
    }


def import_corpus(env, corpus: Path) -> None:
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "import_guests", str(corpus / "people"))
    manage(env, "import_episodes", "--publish", str(corpus / "episodes"))
    manage(env, "collectstatic", "--no-input", "-v0")


@contextlib.contextmanager
def static_file(size: int):
    """A static file of ``size`` bytes, served by whitenoise from servers started meanwhile."""
    path = ROOT / "staticfiles" / STATIC_NAME
    path.write_bytes(b"<!doctype html>" + b"x" * (size - 15))  # whitenoise indexes files at start
    try:
        yield "/static/" + STATIC_NAME
    finally:
        path.unlink()


def print_figures(results: dict) -> None:
    print(f"{'target':<14} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'vs static':>10}")
    static_rps = results["static file"]["rps"]
    for name, figures in results.items():
        share = figures["rps"] / static_rps
        print(
            f"{name:<14} {figures['rps']:>8.0f} {figures['p50']:>8.1f} {figures['p99']:>8.1f}"
            f" {figures['errors']:>7} {share:>9.0%}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--corpus", type=Path, default=Path(os.environ.get("CORPUS_DIR", ROOT.parent / "shared" / "corpus")))
    args = parser.parse_args()
    if not (args.corpus / "episodes").is_dir():
        sys.exit(f"no corpus at {args.corpus}: pass --corpus or set CORPUS_DIR")

    workdir = Path(tempfile.mkdtemp(prefix="bench-public-"))
    env = site_env(f"sqlite:///{workdir / 'db.sqlite3'}")
    print("importing the corpus and collecting static files ...", flush=True)
    import_corpus(env, args.corpus)
    longest = max((args.corpus / "episodes").glob("*.md"), key=lambda path: path.stat().st_size).stem
    episode_path = f"/podcast/{longest}/"

    with Server(env, args.workers) as server:
        size = len(urllib.request.urlopen(server.url + episode_path).read())
    results = {}
    try:
        with static_file(size) as static_path, Server(env, args.workers) as server:
            targets = [("static file", static_path), ("episode page", episode_path), ("/podcast/", "/podcast/")]
            for _, path in targets:  # warm every worker's cache
                asyncio.run(load(server.port, path, 1, args.concurrency))
            for name, path in targets:
                results[name] = asyncio.run(load(server.port, path, args.seconds, args.concurrency))
    finally:
        shutil.rmtree(workdir)

    print(f"gunicorn --workers {args.workers}, {args.concurrency} concurrent clients, {args.seconds:g} s each")
    print(f"episode page: {episode_path} ({size:,} bytes)")
    print_figures(results)
    static_rps = results["static file"]["rps"]
    verdict = "meets" if results["episode page"]["rps"] >= TARGET * static_rps else "misses"
    print(f"episode page {verdict} the target (>= {TARGET:.0%} of the static file's throughput)")


if __name__ == "__main__":
    main()
