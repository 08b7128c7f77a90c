"""The Timestamps page in a real browser: copy the current headers, paste a list, preview, apply."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from podcasts.editorial.timestamps import timestamps_list
from podcasts.models import Episode

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_copy_the_headers_then_paste_preview_and_apply_a_list(live_server, seeded_episode, browser):
    User.objects.create_superuser("chief", password="a long test password")
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    violations = []
    page.on("console", lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None)
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", "chief")
    page.fill("#id_password", "a long test password")
    page.click("input[type=submit]")
    page.locator("#user-tools").wait_for()

    page.goto(live_server.url + reverse("admin:podcasts_episode_timestamps", args=[seeded_episode.pk]))
    page.click("button[data-copy=current-list]")  # hidden until copy.js runs: clicking proves it ran
    page.get_by_text("Copied").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == timestamps_list(list(seeded_episode.transcript.all())) and copied.startswith(
        "00:00:00 Podcast Introduction\n"
    )

    page.fill("#id_timestamps", "0:00 Welcome\n1:05 The guest")
    page.click("input[name=preview]")
    assert page.locator("#timestamps-preview tbody tr").count() == 2
    assert "Podcast Introduction" in page.locator("#timestamps-removed").inner_text()
    page.click("input[name=apply]")
    assert "Headers replaced: 2 added" in page.locator(".messagelist").inner_text()
    headers = Episode.objects.get().transcript.filter(kind="header").values_list("text", flat=True)
    assert list(headers) == ["Welcome", "The guest"]
    assert violations == []
    context.close()
