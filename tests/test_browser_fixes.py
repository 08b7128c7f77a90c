"""In a real browser: an episode with `Alexey:` lines, its audit fix clicked, the rows and the file after."""

import difflib

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from podcasts.models import Episode, TranscriptLine

from .browser import ARTIFACTS
from .helpers import SEED_EPISODE, SEED_GUEST, run

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_fixing_a_speaker_with_a_colon_changes_only_who_lines(live_server, page, write_file):
    broken = SEED_EPISODE.read_text(encoding="utf-8").replace("  who: Alexey\n", "  who: 'Alexey:'\n", 3)
    assert run("import_guests", SEED_GUEST)[0] == 0
    assert run("import_episodes", write_file(SEED_EPISODE.name, broken))[0] == 0
    episode = Episode.objects.get()
    User.objects.create_superuser("chief", password="a long test password")
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", "chief")
    page.fill("#id_password", "a long test password")
    page.click("input[type=submit]")

    page.goto(live_server.url + reverse("admin:podcasts_episode_change", args=[episode.pk]))
    group = page.locator("#audit-speaker-punctuation")
    assert "speaker-punctuation: 1" in group.locator("summary").inner_text()
    group.locator("a.fix-one").click()
    changes = page.locator(".fix-changes tbody tr")
    assert changes.count() == 3
    assert [changes.nth(n).locator("td.del code.who").inner_text() for n in range(3)] == ["Alexey:"] * 3
    assert [changes.nth(n).locator("td.add code.who").inner_text() for n in range(3)] == ["Alexey"] * 3
    page.screenshot(path=str(ARTIFACTS / "audit-fix-preview.png"), full_page=False)
    page.click("#fix-form input[type=submit]")

    assert "Fixed 1 finding(s): 3 row(s) changed." in page.locator(".messagelist").inner_text()
    assert page.locator("#audit-speaker-punctuation").count() == 0
    assert not TranscriptLine.objects.filter(speaker="Alexey:").exists()
    download = page.request.get(live_server.url + reverse("admin:podcasts_episode_download", args=[episode.pk]))
    diff = difflib.unified_diff(broken.splitlines(), download.text().splitlines(), lineterm="", n=0)
    changed = [text for text in diff if text[:1] in "+-" and not text.startswith(("+++", "---"))]
    assert sorted(changed) == ["+  who: Alexey"] * 3 + ["-  who: 'Alexey:'"] * 3
