"""The episode page in a real headless Chromium (Debian's ``chromium``, driven by Playwright).

Every request that leaves the live server is aborted: the test proves the page
works offline and that a click on a time seeks the player instead of leaving."""

import pytest
from django.core.management import call_command

from .browser import ARTIFACTS
from .helpers import SEED_EPISODE, SEED_GUEST

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def offline_page(browser, live_server, left: list, **context_options):
    """A page whose requests to anywhere but the live server are recorded and aborted."""
    page = browser.new_context(**context_options).new_page()

    def route(request_route):
        if request_route.request.url.startswith(live_server.url):
            request_route.continue_()
        else:
            left.append(request_route.request.url)
            request_route.abort()

    page.route("**/*", route)
    return page


@pytest.fixture
def episode_url(live_server):
    call_command("import_guests", str(SEED_GUEST), verbosity=0, stdout=open("/dev/null", "w"))
    call_command("import_episodes", "--publish", str(SEED_EPISODE), stdout=open("/dev/null", "w"))
    return f"{live_server.url}/podcast/{SEED_EPISODE.stem}/"


def test_clicking_a_time_seeks_the_player_and_stays_on_the_page(live_server, episode_url, browser):
    left = []
    page = offline_page(browser, live_server, left, viewport={"width": 1280, "height": 900})
    page.goto(episode_url)
    assert page.locator("h1").inner_text().startswith("Transitioning from Software Engineer")
    assert page.locator("link[rel=stylesheet]").count() == 1
    assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith("system-ui")

    time_link = page.locator("#t-3 a.time")
    assert time_link.inner_text() == "1:32"
    time_link.click()
    assert page.url == episode_url
    assert page.locator("#player").get_attribute("data-seconds") == "92"
    assert "is-current" in page.locator("#t-3").get_attribute("class")
    assert all("youtube.com/watch" not in url for url in left)

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "episode-page.png"), full_page=False)
    assert (ARTIFACTS / "episode-page.png").stat().st_size > 10_000


def test_without_javascript_a_time_opens_youtube_at_that_second(live_server, episode_url, browser):
    left = []
    page = offline_page(browser, live_server, left, java_script_enabled=False)
    page.goto(episode_url)
    page.locator("#t-3 a.time").click(no_wait_after=True)
    page.wait_for_timeout(500)
    assert "https://www.youtube.com/watch?v=xyTfqIWeKf8&t=92" in left
