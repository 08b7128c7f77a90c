"""End to end in a real browser: log in, rename a speaker, publish, open the public page."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from podcasts.models import Episode, TranscriptLine

from .browser import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editor_flow_from_login_to_public_page(live_server, seeded_episode, page):
    User.objects.create_superuser("chief", password="a long test password")
    url = live_server.url

    page.goto(url + reverse("admin:login"))
    page.fill("#id_username", "chief")
    page.fill("#id_password", "a long test password")
    page.click("input[type=submit]")
    assert page.locator("#user-tools").inner_text().startswith("WELCOME")

    page.goto(url + reverse("admin:podcasts_episode_speakers", args=[seeded_episode.pk]))
    page.fill("#id_old", "Sadat")
    page.fill("#id_new", "Sadat Anwar")
    page.click("button[name=rename]")
    assert "Renamed 114 line(s)." in page.locator(".messagelist").inner_text()
    assert not TranscriptLine.objects.filter(speaker="Sadat").exists()

    page.goto(url + reverse("admin:podcasts_episode_changelist"))
    page.check(f"input[name=_selected_action][value='{seeded_episode.pk}']")
    page.select_option("select[name=action]", "publish_selected")
    page.click("button[name=index]")
    assert "Publish anyway?" in page.content()  # the seed's real backwards timestamp is an audit error
    page.click("input[value='Yes, publish']")
    assert "Published 1 episode(s)." in page.locator(".messagelist").inner_text()
    assert Episode.objects.published().count() == 1

    page.goto(url + seeded_episode.get_absolute_url())
    assert page.locator("h1").inner_text().startswith("Transitioning from Software Engineer")
    assert page.get_by_text("Sadat Anwar").count() > 0
    page.screenshot(path=str(ARTIFACTS / "admin-flow-public-page.png"), full_page=False)
