"""Text from files renders inert; production settings pass the deploy checks."""

import json
import os
import re
import subprocess
import sys
import wsgiref.util

import pytest
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from podcasts.models import Guest, PlatformId

from .factories import published

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"


def episode_html(client, **fields) -> str:
    episode = published("xss", season=1, number=1, **fields)
    PlatformId.objects.create(episode=episode, platform="youtube", value="abc")
    return client.get(episode.get_absolute_url()).content.decode()


def scripts(html: str) -> list[str]:
    """Every <script> element the page really has."""
    return re.findall(r"<script\b[^>]*>", html)


def test_transcript_line_with_a_script_is_escaped(client):
    html = episode_html(client, transcript=[{"line": SCRIPT, "who": "A", "sec": 1}])
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert scripts(html) == ['<script type="application/ld+json">', '<script src="/static/podcasts/player.js" defer>']


def test_speaker_with_html_is_escaped(client):
    html = episode_html(client, transcript=[{"line": "hi", "who": '<img src=x onerror="alert(1)">', "sec": 1}])
    assert "<img" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;:" in html


def test_body_links_with_javascript_or_handlers_are_neutralised(client):
    body = (
        "[click](javascript:alert(1))\n\n"
        '[hover](https://example.com){: onmouseover="alert(2)" }\n\n'
        '<img src="x" onerror="alert(3)">\n\n'
        f"{SCRIPT}\n\n"
        '<a href="JaVaScRiPt:alert(4)">raw</a>\n'
    )
    html = episode_html(client, body=body)
    notes = html[html.index('class="notes prose"') : html.index("</section>", html.index('class="notes prose"'))]
    assert "javascript" not in notes.lower()
    assert "onmouseover" not in notes and "onerror" not in notes and "<img" not in notes and "<script" not in notes
    assert '<a href="https://example.com" rel="noopener noreferrer">hover</a>' in notes


def test_intro_html_is_sanitised(client):
    html = episode_html(client, intro='Hi<br><iframe src="https://evil.example"></iframe><b onclick="x()">bold</b>' + SCRIPT)
    intro = html[html.index('class="intro prose"') :]
    intro = intro[: intro.index("</div>")]
    assert "Hi<br>" in intro and "<b>bold</b>" in intro
    assert "<iframe" not in intro and "onclick" not in intro and "<script" not in intro


def test_json_ld_cannot_close_its_script(client):
    html = episode_html(client, title="</script><script>alert(1)</script>", description="a & b")
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert json.loads(match.group(1))["name"] == "</script><script>alert(1)</script>"
    assert len(scripts(html)) == 2


def test_guest_bio_and_profile_links_are_inert(client):
    Guest.objects.create(short="eve", name="<b>Eve</b>", body=f"Bio {SCRIPT} [x](javascript:alert(1))", web="javascript:alert(1)")
    published("with-eve", guests=["eve"])
    html = client.get("/people/eve/").content.decode()
    assert "<h1>&lt;b&gt;Eve&lt;/b&gt;</h1>" in html
    assert "<script>" not in html
    assert not re.search(r"(href|src)=\"javascript:", html, re.I)
    assert "&lt;script&gt;" in html  # the meta description keeps the text, escaped


def test_video_id_cannot_break_out_of_the_embed_url(client):
    episode = published("vid", season=1, number=1)
    PlatformId.objects.create(episode=episode, platform="youtube", value='x" onload="alert(1)')
    html = client.get(episode.get_absolute_url()).content.decode()
    assert 'onload="alert(1)"' not in html
    assert "embed/x%22%20onload%3D%22alert%281%29?enablejsapi=1" in html


def test_production_settings_pass_check_deploy():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": "a-long-random-production-secret-" + "x7Kq9" * 10,
        "ALLOWED_HOSTS": "podcast.example.com",
        "DEBUG": "false",
        "DATABASE_URL": "sqlite:///:memory:",  # the settings, not this checkout's content (its feed readiness warns)
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_commands_run_without_a_secret_key_but_the_web_server_does_not_start():
    env = {key: value for key, value in os.environ.items() if key != "SECRET_KEY"}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", DATABASE_URL="sqlite:///:memory:")
    command = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
    )
    assert command.returncode == 0 and "no issues" in command.stdout, command.stderr
    if "SECRET_KEY" in ((settings.BASE_DIR / ".env").read_text() if (settings.BASE_DIR / ".env").exists() else ""):
        pytest.skip("this checkout's .env gives the web server a key (make run writes one)")
    server = subprocess.run(
        [sys.executable, "-c", "import config.wsgi"], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
    )
    assert server.returncode == 1 and "Set the SECRET_KEY environment variable" in server.stderr


@pytest.mark.django_db
def test_wsgi_and_asgi_entry_points_load_the_site():
    """gunicorn serves ``config.wsgi:application``: it answers a request as the test client does."""
    from config.asgi import application as asgi_application
    from config.wsgi import application

    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/robots.txt", "HTTP_HOST": "testserver"}
    wsgiref.util.setup_testing_defaults(environ)
    statuses = []
    # As Django's test client does: the test's transaction must outlive the request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        body = b"".join(application(environ, lambda status, headers, exc_info=None: statuses.append(status)))
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    assert statuses == ["200 OK"]
    assert body.startswith(b"User-agent: *\nDisallow: /admin/\n")
    assert callable(asgi_application)
