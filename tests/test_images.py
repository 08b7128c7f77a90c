"""Episode images and guest photos: stored through the storage API, loaded by
``import_media``, uploaded in the admin, shown and linked at absolute, encoded URLs."""

import io
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator
from django.urls import reverse
from PIL import Image

from podcasts.files.exporting import export_bytes
from podcasts.models import Episode, Guest

from .factories import draft, published
from .helpers import browser_form_data, run

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"  # Show.site_url's default
ITUNES = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"


def jpeg(color="red") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), color).save(buffer, "JPEG")
    return buffer.getvalue()


def assert_valid_url(url: str):
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        pytest.fail(f"not a valid absolute URL: {url!r}")


@pytest.fixture
def site(tmp_path):
    """A source site's folder with the images its files name, as the corpus spells them."""
    (tmp_path / "images" / "podcast").mkdir(parents=True)
    (tmp_path / "images" / "authors").mkdir()
    (tmp_path / "images" / "podcast" / "hybrid search.jpg").write_bytes(jpeg("red"))
    (tmp_path / "images" / "authors" / "aashishnair.jpg").write_bytes(jpeg("blue"))
    return tmp_path


@pytest.fixture
def named():
    """An episode and its guest whose files name those images."""
    Guest.objects.create(short="aashishnair", name="Aashish Nair", picture="images/authors/ aashishnair.jpg")
    return published("search", title="Search", guests=["aashishnair"], image="images/podcast/hybrid search.jpg")


def test_import_media_stores_the_named_files_and_keeps_the_values(site, named, django_capture_on_commit_callbacks):
    before = export_bytes(Episode.objects.for_export().get())
    code, out, err = run("import_media", site / "images")  # the images/ folder itself, or the site: both work
    assert (code, out.strip(), err) == (0, "created 2, updated 0, unchanged 0, failed 0", "")
    episode, guest = Episode.objects.get(), Guest.objects.get()
    assert episode.image_file.read() == jpeg("red") and guest.picture_file.read() == jpeg("blue")
    assert episode.version == named.version + 1  # a change like any other: open editors must reload
    assert (episode.image, guest.picture) == ("images/podcast/hybrid search.jpg", "images/authors/ aashishnair.jpg")
    assert export_bytes(Episode.objects.for_export().get()) == before

    assert run("import_media", site)[1].strip() == "created 0, updated 0, unchanged 2, failed 0"
    (site / "images" / "podcast" / "hybrid search.jpg").write_bytes(jpeg("green"))
    old_name = episode.image_file.name
    with django_capture_on_commit_callbacks(execute=True):  # the old file goes once the change commits
        assert run("import_media", site)[1].strip() == "created 0, updated 1, unchanged 1, failed 0"
    episode.refresh_from_db()
    assert episode.image_file.read() == jpeg("green") and not episode.image_file.storage.exists(old_name)


def test_import_media_refuses_missing_files_non_images_and_paths_out_of_the_folder(site, named, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside") / "secret.jpg"
    outside.write_bytes(jpeg())
    (site / "images" / "podcast" / "link.jpg").symlink_to(outside)
    (site / "images" / "podcast" / "notes.jpg").write_text("<html>not an image</html>")
    published("gone", image="images/podcast/gone.jpg")
    published("text", image="images/podcast/notes.jpg")
    published("up", image="../outside/secret.jpg")
    published("link", image="images/podcast/link.jpg")
    published("web", image="https://example.com/cover.jpg")  # a URL needs no file
    code, out, err = run("import_media", site)
    assert (code, out.strip()) == (1, "created 2, updated 0, unchanged 0, failed 4")
    problems = sorted(err.splitlines())
    assert [line.split(":")[0] for line in problems] == ["gone.md", "link.md", "text.md", "up.md"]
    assert "not a file under" in problems[0] and "valid image" in problems[2]
    assert not Episode.objects.get(slug="link").image_file


def test_dry_run_writes_nothing(site, named):
    assert (
        run("import_media", site, "--dry-run")[1].strip()
        == "dry run, nothing written: created 2, updated 0, unchanged 0, failed 0"
    )
    assert not Episode.objects.get().image_file and not Guest.objects.get().picture_file


def test_image_urls_are_absolute_and_percent_encoded_before_and_after_import(client, site, named):
    page = client.get("/podcast/search/").content.decode()
    og_image = re.search(r'<meta property="og:image" content="([^"]+)"', page)[1]
    assert og_image == f"{SITE}/images/podcast/hybrid%20search.jpg"  # the path the file names, until a file is stored
    assert_valid_url(og_image)

    run("import_media", site)
    page = client.get("/podcast/search/").content.decode()
    og_image = re.search(r'<meta property="og:image" content="([^"]+)"', page)[1]
    assert og_image.startswith(f"{SITE}/media/episodes/") and og_image.endswith(".jpg")
    assert_valid_url(og_image)
    feed = ET.fromstring(client.get("/feed.xml").content)
    assert feed.find(f"channel/item/{ITUNES}image").get("href") == og_image
    response = client.get(og_image.removeprefix(SITE))
    assert response["Content-Type"] == "image/jpeg" and b"".join(response.streaming_content) == jpeg("red")


def test_guest_cards_and_pages_show_the_photo(client, site, named):
    assert 'class="photo"' not in client.get("/people/aashishnair/").content.decode()  # nothing stored yet
    run("import_media", site)
    photo = Guest.objects.get().picture_file.url
    for url in ("/people/aashishnair/", "/podcast/search/"):
        img = re.search(r'<img class="photo" src="([^"]+)"', client.get(url).content.decode())
        assert img and img[1] == f"{SITE}{photo}", url
    og_image = re.search(r'<meta property="og:image" content="([^"]+)"', client.get("/people/aashishnair/").content.decode())
    assert og_image[1] == f"{SITE}{photo}"
    assert b"".join(client.get(photo).streaming_content) == jpeg("blue")


def test_media_of_drafts_and_hidden_people_is_not_served(client):
    episode = draft("secret", image="images/podcast/x.jpg")
    episode.image_file.save("x.jpg", ContentFile(jpeg()))
    guest = Guest.objects.create(short="hidden")
    guest.picture_file.save("hidden.jpg", ContentFile(jpeg()))
    for url in (episode.image_file.url, guest.picture_file.url, "/media/episodes/none.jpg", "/media/a%00b.jpg"):
        assert client.get(url).status_code == 404, url


def test_an_editor_uploads_a_photo_in_the_admin(admin_client):
    guest = Guest.objects.create(short="ada", name="Ada", picture="images/authors/ada.jpg")
    url = reverse("admin:podcasts_guest_change", args=[guest.pk])
    data = browser_form_data(admin_client.get(url).content.decode(), "guest_form")
    upload = ContentFile(jpeg("green"), name="ada.jpg")
    assert admin_client.post(url, {**data, "picture_file": upload, "_save": "Save"}).status_code == 302
    guest.refresh_from_db()
    assert guest.picture_file.read() == jpeg("green") and guest.picture == "images/authors/ada.jpg"

    data = browser_form_data(admin_client.get(url).content.decode(), "guest_form")
    not_image = ContentFile(b"<script>alert(1)</script>", name="ada.html")
    response = admin_client.post(url, {**data, "picture_file": not_image, "_save": "Save"})
    assert response.status_code == 200 and "picture_file" in response.context["adminform"].form.errors
