"""Plain helpers shared by test modules: where the fixture files are, and running a command."""

import os
import signal
import subprocess
import sys
import threading
from contextlib import contextmanager
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler
from io import StringIO
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.db import connection
from django.forms import FileField
from django.urls import reverse

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


class _FormReader(HTMLParser):
    """Collects what a browser would submit for one form of a page (see ``browser_form_data``)."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.fields = form_id, False, []
        self.textarea = self.select = None
        self.options: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "name" not in attrs and tag in ("input", "textarea", "select"):
            return
        if tag == "input" and attrs.get("type", "text") not in ("submit", "button", "file", "image", "reset"):
            if attrs.get("type") not in ("checkbox", "radio") or "checked" in attrs:
                self.fields.append((attrs["name"], attrs.get("value", "on" if attrs.get("type") == "checkbox" else "")))
        elif tag == "textarea":
            self.textarea = [attrs["name"], ""]
        elif tag == "select":
            self.select, self.options = attrs["name"], []
        elif tag == "option" and self.select is not None:
            self.options.append((attrs.get("value", ""), "selected" in attrs))

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            text = text[1:] if text.startswith("\n") else text  # HTML drops a newline right after <textarea>
            self.fields.append((name, text.replace("\r\n", "\n").replace("\n", "\r\n")))  # and browsers send CRLF
            self.textarea = None
        elif tag == "select" and self.select is not None:
            chosen = [value for value, selected in self.options if selected] or [value for value, _ in self.options[:1]]
            self.fields += [(self.select, value) for value in chosen]
            self.select = None


def browser_form_data(html: str, form_id: str) -> dict[str, list[str]]:
    """What a browser submits for the form ``form_id`` left as it is: its inputs, checked
    boxes, selected options and textareas (with the browser's CRLF line breaks)."""
    reader = _FormReader(form_id)
    reader.feed(html)
    data: dict[str, list[str]] = {}
    for name, value in reader.fields:
        data.setdefault(name, []).append(value)
    return data


@contextmanager
def fails_after(seconds: int):
    """Turn a hang (a read that never ends) into a failing test: SIGALRM raises after ``seconds``."""

    def hung(signum, frame):
        raise AssertionError(f"still running after {seconds} s: something blocked or never ended")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def database_url() -> str:
    """The test database as another process names it (``DATABASE_URL``); skips the test
    where another process cannot see it (an in-memory SQLite database)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        if connection.is_in_memory_db():
            pytest.skip("an in-memory SQLite database is invisible to another process")
        return f"sqlite:///{db['NAME']}"
    password = f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    return f"postgres://{quote(db['USER'])}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def manage_elsewhere(*args: str, **env: str) -> subprocess.CompletedProcess:
    """``manage.py args`` in another process (its own cache, its own connections), with
    ``env`` over this one's environment; the result is for the caller to check."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def change_form_data(client, episode) -> dict:
    """The change form's fields and inline formsets, as the browser would post them untouched."""
    response = client.get(reverse("admin:podcasts_episode_change", args=[episode.pk]))
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for bound in form:
            value = bound.value()
            if value is not None and value is not False and not isinstance(bound.field, FileField):
                data[bound.html_name] = value if not hasattr(value, "pk") else value.pk
    return data


class AudioHost(BaseHTTPRequestHandler):
    """Answers as an audio host would; ``/moved.mp3`` redirects, ``/page`` is HTML, ``/silent`` never answers."""

    methods: list[str] = []

    def do_HEAD(self):
        self.methods.append(f"HEAD {self.path}")
        if self.path == "/moved.mp3":
            self.send_response(302)
            self.send_header("Location", "/episode.mp3")
        elif self.path == "/episode.mp3":
            self.send_response(200)
            self.send_header("Content-Type", "audio/mpeg; charset=binary")
            self.send_header("Content-Length", "48000123")
        elif self.path == "/page":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "10")
        elif self.path == "/silent":
            threading.Event().wait(2)
            return
        else:
            self.send_response(404, "Not Found")
        self.end_headers()

    def do_GET(self):
        self.methods.append(f"GET {self.path}")
        self.send_response(500)
        self.end_headers()

    def log_message(self, *args):
        pass
