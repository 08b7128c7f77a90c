"""Display helpers for the public templates."""

from django import template

from podcasts import timecode
from podcasts.public.rendering import image_address, render_markdown

register = template.Library()

PROFILE_URLS = {
    "github": "https://github.com/{}",
    "twitter": "https://twitter.com/{}",
    "linkedin": "https://www.linkedin.com/in/{}",
}
PLATFORM_NAMES = {"youtube": "YouTube", "apple": "Apple Podcasts", "spotify": "Spotify", "anchor": "Anchor"}
PROFILE_LABELS = {"github": "GitHub", "twitter": "Twitter", "linkedin": "LinkedIn", "web": "Website"}


@register.filter
def markdown(text):
    return render_markdown(text or "")


@register.filter
def platform_name(platform):
    return PLATFORM_NAMES.get(platform, platform.capitalize())


@register.filter
def clock(seconds):
    return "" if seconds is None else timecode.format(seconds)


@register.filter
def profile_links(guest) -> list[tuple[str, str]]:
    """(label, URL) for each profile a person file names: handles become URLs, URLs stay."""
    links = []
    for field, label in PROFILE_LABELS.items():
        value = getattr(guest, field, "").strip()
        if not value:
            continue
        if value.startswith(("https://", "http://")):
            links.append((label, value))
        elif field in PROFILE_URLS:
            links.append((label, PROFILE_URLS[field].format(value.lstrip("@"))))
        elif "." in value and " " not in value:  # a bare domain such as example.com
            links.append((label, f"https://{value}"))
    return links


@register.filter
def image_url(subject, show) -> str:
    """An episode's or a person's image at its public address (``rendering.image_address``)."""
    return image_address(show, subject)
