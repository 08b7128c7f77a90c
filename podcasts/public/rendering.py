"""Turning editors' text into safe HTML: Markdown show notes, HTML intros, JSON-LD, links."""

import json
from urllib.parse import urlsplit

import markdown
import nh3
from django.utils.encoding import iri_to_uri
from django.utils.safestring import SafeString, mark_safe

from podcasts.models import Show

# What show notes and bios use: links, lists, emphasis, headings, code, quotes, tables.
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "em", "h2", "h3", "h4", "h5", "h6", "hr",
    "i", "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "target"}, "abbr": {"title"}, "td": {"align"}, "th": {"align"}}
# Where any link, image or clip on a public page may point: the web, nowhere else (no
# `javascript:`, `data:`, `mailto:`); relative links in show notes stay on the site.
URL_SCHEMES = {"http", "https"}


def sanitize(html: str) -> SafeString:
    """Keep harmless markup only: no scripts, event handlers, styles or `javascript:` links.

    Every link gets ``rel="noopener noreferrer"`` so ``target="_blank"`` cannot reach back."""
    return mark_safe(nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES))


def render_markdown(text: str) -> SafeString:
    """Python-Markdown with ``attr_list`` (the notes write ``{:target="_blank"}``), then sanitized."""
    return sanitize(markdown.markdown(text, extensions=["attr_list"], output_format="html"))


def json_ld(data: dict) -> SafeString:
    """JSON for a ``<script type="application/ld+json">``: ``<``, ``>`` and ``&`` are escaped
    so no text can close the script element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return mark_safe(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def _scheme_and_host(url: str) -> tuple[str, str]:
    """Parsed as browsers do, after dropping the spaces, tabs and control characters they ignore."""
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return "invalid", ""
    return parts.scheme.lower(), parts.netloc


def web_url(url: str) -> str:
    """``url`` when it is an absolute http(s) address, else "": what a value from a file
    (listen link, clip) must be before it becomes a link."""
    url = url.strip()
    scheme, host = _scheme_and_host(url)
    return url if scheme in URL_SCHEMES and host else ""


def web_address(show: Show, path_or_url: str) -> str:
    """A site path (``images/cover.jpg``) at the show's public address, or an http(s) URL,
    percent-encoded (a space in a file name is ``%20``; an existing ``%XX`` stays);
    "" for any other scheme, which ``Show.absolute_url`` would take for a path."""
    scheme, _ = _scheme_and_host(path_or_url.strip())
    if scheme and scheme not in URL_SCHEMES:
        return ""
    return iri_to_uri(web_url(show.absolute_url(path_or_url.strip())))


def image_address(show: Show, subject) -> str:
    """The public URL of an episode's or a person's image (``image_source``: the stored
    file, else the path its file names), absolute and percent-encoded; "" without one."""
    return web_address(show, subject.image_source)
