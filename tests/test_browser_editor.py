"""The transcript editor in a real headless Chromium: edits in place, Enter, two editors,
conflicts, search and problem markers, row actions from the keyboard, the leave warning."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from podcasts.models import Episode, TranscriptLine

from .browser import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a long test password"


@pytest.fixture
def editor_page(browser, live_server, seeded_episode):
    """A function opening the editor in a fresh browser context, logged in as its own user."""
    opened = []

    def open_editor(username="chief", query=""):
        if not User.objects.filter(username=username).exists():
            User.objects.create_superuser(username, password=PASSWORD)
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        page.goto(live_server.url + reverse("admin:login"))
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.goto(live_server.url + reverse("admin:podcasts_episode_transcript", args=[seeded_episode.pk]) + query)
        page.wait_for_function("() => window.htmx !== undefined")
        opened.append(page)
        return page

    yield open_editor
    for page in opened:
        page.context.close()


def text_field(page, position):
    return page.locator(f"#item-{position} textarea")


def saved(page):
    page.wait_for_function("() => document.querySelector('.save-state').textContent.startsWith('Saved')")
    page.evaluate("document.querySelector('.save-state').textContent = ''")


def stored():
    return list(TranscriptLine.objects.order_by("position").values_list("kind", "text", "speaker", "time"))


def test_an_edit_in_place_persists_without_a_page_load(editor_page, seeded_episode):
    page = editor_page()
    page.evaluate("window.sameDocument = true")
    text_field(page, 5).fill("Edited in place.")
    page.keyboard.press("Tab")
    saved(page)
    assert page.evaluate("window.sameDocument") is True  # no navigation happened
    assert TranscriptLine.objects.get(position=5).text == "Edited in place."
    assert page.evaluate("document.activeElement.name").startswith("s")  # focus went on to the next row's speaker
    page.reload()
    assert text_field(page, 5).input_value() == "Edited in place."
    page.screenshot(path=str(ARTIFACTS / "transcript-editor.png"))


def test_enter_in_any_field_changes_nothing_but_what_was_typed(editor_page, seeded_episode):
    page = editor_page()
    before, version = stored(), Episode.objects.get().version
    for selector in ("#item-2 input[name^=s]", "#item-2 input[name^=m]", "#item-0 textarea", "#find input[type=search]"):
        page.locator(selector).focus()
        page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    assert stored() == before and Episode.objects.get().version == version
    text_field(page, 2).focus()
    page.keyboard.press("Control+End")
    page.keyboard.type(" More.")
    page.keyboard.press("Enter")  # a line break in the text, as typed
    page.locator("#item-3 textarea").focus()
    saved(page)
    after = stored()
    assert after[2][1] == before[2][1] + " More.\n" and after[:2] + after[3:] == before[:2] + before[3:]


def test_two_editors_of_different_items_both_save(editor_page, seeded_episode):
    first, second = editor_page("first"), editor_page("second")
    text_field(first, 2).fill("From the first editor.")
    text_field(second, 5).fill("From the second editor.")
    first.keyboard.press("Tab")
    saved(first)
    second.keyboard.press("Tab")
    saved(second)
    assert TranscriptLine.objects.get(position=2).text == "From the first editor."
    assert TranscriptLine.objects.get(position=5).text == "From the second editor."
    assert not second.locator(".conflict").count()


def test_the_same_item_is_a_conflict_resolved_without_losing_input(editor_page, seeded_episode):
    first, second = editor_page("first"), editor_page("second")
    text_field(first, 2).fill("Theirs.")
    first.keyboard.press("Tab")
    saved(first)
    text_field(second, 2).fill("Mine.")
    second.keyboard.press("Tab")
    conflict = second.locator("#item-2 .conflict")
    conflict.wait_for()
    assert "Theirs." in conflict.inner_text() and text_field(second, 2).input_value() == "Mine."
    assert TranscriptLine.objects.get(position=2).text == "Theirs."
    second.locator("#item-2 .keep-yours").click()
    second.wait_for_function("() => !document.querySelector('#item-2 .conflict')")
    assert TranscriptLine.objects.get(position=2).text == "Mine."


def test_taking_theirs_after_a_conflict(editor_page, seeded_episode):
    first, second = editor_page("first"), editor_page("second")
    first.locator("#item-3 input[name^=s]").fill("Their Name")
    first.keyboard.press("Tab")
    saved(first)
    second.locator("#item-3 input[name^=s]").fill("My Name")
    second.keyboard.press("Tab")
    second.locator("#item-3 .take-theirs").click()
    second.wait_for_function("() => !document.querySelector('#item-3 .conflict')")
    assert second.locator("#item-3 input[name^=s]").input_value() == "Their Name"
    assert TranscriptLine.objects.get(position=3).speaker == "Their Name"


def test_find_and_problem_markers(editor_page, seeded_episode):
    TranscriptLine.objects.filter(position=5).update(speaker="Alexey:")
    page = editor_page()
    marker = page.locator("#item-5 p.error")
    assert "punctuation" in marker.inner_text()
    page.fill("#find input[type=search]", "career journey")
    page.wait_for_function("() => document.querySelectorAll('#rows > tr').length === 1")
    assert page.locator("#rows > tr").get_attribute("id") == "item-5"
    assert "q=career%20journey" in page.url  # the search is in the address, to share or reload
    page.fill("#find input[type=search]", "")
    page.check("#find input[name=problems]")
    page.wait_for_function(
        "() => document.querySelectorAll('#rows > tr').length > 1 && !document.querySelector('#rows > tr:not([data-problem])')"
    )
    page.wait_for_url("**problems=on**")
    assert page.locator("#rows > tr").count() < seeded_episode.transcript.count()
    page.keyboard.press("Alt+Shift+N")
    assert page.evaluate("document.activeElement.closest('tr').hasAttribute('data-problem')")


def test_every_row_action_from_the_keyboard(editor_page, seeded_episode):
    page = editor_page()
    page.on("dialog", lambda dialog: dialog.accept())
    before = stored()

    def press(position, keys):
        text_field(page, position).focus()
        page.keyboard.press(keys)
        saved(page)

    press(2, "Alt+Shift+H")
    assert stored()[2] == ("header", before[2][1], None, None)
    press(2, "Alt+Shift+L")
    assert stored()[2][:2] == ("line", before[2][1])
    press(3, "Alt+Shift+I")
    assert stored()[3][:2] == ("header", "New section")
    assert page.evaluate("document.activeElement.value") == "New section"  # selected, to be typed over
    press(3, "Alt+Shift+Delete")
    assert stored()[3] == before[3]
    press(3, "Alt+Shift+ArrowUp")
    assert stored()[2] == before[3] and stored()[3][1] == before[2][1]
    press(2, "Alt+Shift+ArrowDown")
    assert stored()[3] == before[3]
    press(5, "Alt+Shift+W")
    assert stored()[5][1:3] == (before[5][2], before[5][1])
    press(5, "Alt+Shift+W")
    text_field(page, 5).focus()
    page.evaluate("document.activeElement.setSelectionRange(6, 6)")
    page.keyboard.press("Alt+Shift+S")
    saved(page)
    assert [stored()[5][1], stored()[6][1]] == [before[5][1][:6].rstrip(), before[5][1][6:].lstrip()]
    press(6, "Alt+Shift+M")
    assert stored()[5][1] == f"{before[5][1][:6].rstrip()} {before[5][1][6:].lstrip()}"
    text_field(page, 2).focus()
    page.keyboard.press("Alt+Shift+K")  # the row's menu, worked with arrows and Enter
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    saved(page)
    assert stored()[2][0] == "header"
    assert [row.get_attribute("id") for row in page.locator("#rows > tr").all()[:8]] == [f"item-{n}" for n in range(8)]


def test_leaving_with_unsaved_input_asks_first(editor_page, seeded_episode):
    page = editor_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    text_field(page, 2).focus()
    page.keyboard.type("half a thought")
    page.close(run_before_unload=True)
    page.wait_for_timeout(500) if not page.is_closed() else None
    assert dialogs == ["beforeunload"]
    assert "half a thought" not in TranscriptLine.objects.get(position=2).text
