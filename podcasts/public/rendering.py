"""Turning editors' text into safe HTML: Markdown show notes, HTML intros, JSON-LD."""

import json

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

# What show notes and bios use: links, lists, emphasis, headings, code, quotes, tables.
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "em", "h2", "h3", "h4", "h5", "h6", "hr",
    "i", "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "target"}, "abbr": {"title"}, "td": {"align"}, "th": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}


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
