"""Response headers and logging in production settings: Content-Security-Policy on every
page (and pages that still work under it, in a real browser), HSTS without preload or
subdomains unless asked for, and every 500 logged to stderr."""

import subprocess

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from podcasts.models import Episode, PlatformId

from .factories import published
from .helpers import SEED_SLUG, manage_elsewhere


def policy(response) -> dict[str, list[str]]:
    directives = [part.split() for part in response["Content-Security-Policy"].split(";")]
    return {name: sources for name, *sources in directives}


@pytest.mark.django_db
def test_public_pages_may_run_and_style_only_the_site_s_own_files(client):
    episode = published("csp", season=1, number=1)
    for url in (episode.get_absolute_url(), "/", "/search/?q=x", "/feed.xml", "/no-such-page/"):
        directives = policy(client.get(url))
        assert directives["script-src"] == directives["style-src"] == ["'self'"], url
        assert directives["object-src"] == directives["base-uri"] == ["'none'"], url
        assert directives["frame-src"] == ["https://www.youtube-nocookie.com"], url


@pytest.mark.django_db
def test_admin_pages_add_inline_styles_only(client):
    directives = policy(client.get(reverse("admin:login")))
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'", "'unsafe-inline'"]


@pytest.mark.django_db
def test_hsts_has_neither_subdomains_nor_preload_by_default(client):
    assert client.get("/robots.txt", secure=True)["Strict-Transport-Security"] == "max-age=31536000"


def production(code: str, **env: str) -> subprocess.CompletedProcess:
    """``code`` in a shell of the production settings (DEBUG off) with ``env``."""
    production_env = {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": "a-long-random-production-secret-" + "x7Kq9" * 10,
        "DATABASE_URL": "sqlite:///:memory:",
        "DEBUG": "false",
    }
    return manage_elsewhere("shell", "--verbosity", "0", "-c", code, **{**production_env, **env})


def test_hsts_subdomains_and_preload_are_opt_in():
    code = "from django.conf import settings; print(settings.SECURE_HSTS_INCLUDE_SUBDOMAINS, settings.SECURE_HSTS_PRELOAD)"
    assert production(code).stdout.split() == ["False", "False"]
    opted_in = production(code, SECURE_HSTS_INCLUDE_SUBDOMAINS="true", SECURE_HSTS_PRELOAD="true")
    assert opted_in.stdout.split() == ["True", "True"]


def test_a_500_is_logged_to_stderr_with_its_traceback():
    code = (
        "from unittest import mock\n"
        "from django.contrib.admin import sites\n"
        "from django.test import Client\n"
        "with mock.patch.object(sites.AdminSite, 'login', side_effect=RuntimeError('the bug')):\n"
        "    print(Client(raise_request_exception=False).get('/admin/login/', secure=True).status_code)\n"
    )
    result = production(code, ALLOWED_HOSTS="testserver")
    assert result.stdout.split() == ["500"]
    assert "ERROR django.request: Internal Server Error: /admin/login/" in result.stderr
    assert "RuntimeError: the bug" in result.stderr


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_admin_and_public_pages_work_under_the_policy(live_server, seeded_episode, browser):
    """The policy blocks nothing the pages use: no violation on the login, the admin's lists,
    forms and own pages (with their <style> blocks), the draft preview and the public page."""
    User.objects.create_superuser("chief", password="a long test password")
    Episode.objects.filter(pk=seeded_episode.pk).update(status=Episode.Status.PUBLISHED, published_at=seeded_episode.created_at)
    PlatformId.objects.get_or_create(episode=seeded_episode, platform="youtube", defaults={"value": "abc"})
    page = browser.new_page()
    violations = []
    page.on("console", lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None)
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(live_server.url) else route.abort())

    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", "chief")
    page.fill("#id_password", "a long test password")
    page.click("input[type=submit]")
    page.locator("#user-tools").wait_for()  # logged in
    pk = seeded_episode.pk
    for url in (
        reverse("admin:index"),
        reverse("admin:podcasts_episode_changelist"),
        reverse("admin:podcasts_episode_change", args=[pk]),
        reverse("admin:podcasts_episode_transcript", args=[pk]),
        reverse("admin:podcasts_episode_preview", args=[pk]),
        f"/podcast/{SEED_SLUG}/",
        "/search/?q=data",
        reverse("admin:podcasts_episode_transcript", args=[pk]),
    ):
        response = page.goto(live_server.url + url)
        assert response.status == 200, url
    assert violations == []
    # The transcript editor's stylesheet applied, and its script ran under the policy.
    header_text = page.locator(".transcript-editor tr.h textarea").first
    assert header_text.evaluate("node => getComputedStyle(node).fontWeight") == "700"
    assert page.evaluate("() => typeof window.htmx") == "object"
