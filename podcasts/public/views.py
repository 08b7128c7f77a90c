"""Public pages. Only ``Episode.objects.published()`` is ever shown; every view is
cached whole by ``caching.cached_public_page`` (applied in ``urls``)."""

import json
from functools import wraps

from django.db.models import Prefetch
from django.http import Http404, HttpResponse, HttpResponseServerError
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import DetailView, ListView, TemplateView

from podcasts import timecode, transcripts
from podcasts.models import Episode, EpisodeGuest, Guest, Show
from podcasts.speakers import speaker_names

from .jsonld import episode_json_ld
from .rendering import image_address, json_ld, render_markdown, sanitize, web_address, web_url
from .search import normalize_query, search

GUESTS = Prefetch("episode_guests", queryset=EpisodeGuest.objects.select_related("guest"))


class PublicMixin:
    """Published episodes only, and the show record in every template."""

    def get_queryset(self):
        return Episode.objects.published().prefetch_related(GUESTS)

    @cached_property
    def show(self):
        return Show.current()

    def get_context_data(self, **kwargs):
        kwargs.setdefault("canonical_url", self.show.absolute_url(self.canonical_path()))
        kwargs.setdefault("image_url", web_address(self.show, self.show.artwork))  # Open Graph's image
        return super().get_context_data(show=self.show, **kwargs)

    def canonical_path(self) -> str:
        """The page's own address: its path and the query parameters it reads (normalized by
        ``caching.cached_public_page``), the first page of a list without ``?page=1``."""
        query = self.request.GET.copy()
        if query.get("page") == "1":
            del query["page"]
        return self.request.path + (f"?{query.urlencode()}" if query else "")


class HomeView(PublicMixin, ListView):
    template_name = "podcasts/home.html"
    context_object_name = "episodes"
    latest = 12

    def get_queryset(self):
        return super().get_queryset()[: self.latest]


class EpisodeListView(PublicMixin, ListView):
    """All episodes, newest season first; the template groups each page by season."""

    template_name = "podcasts/episode_list.html"
    context_object_name = "episodes"
    paginate_by = 24

    def get_context_data(self, **kwargs):
        seasons = Episode.objects.published().exclude(season=None).order_by("-season").values_list("season", flat=True)
        return super().get_context_data(seasons=list(dict.fromkeys(seasons)), **kwargs)


class SeasonView(PublicMixin, ListView):
    template_name = "podcasts/season_detail.html"
    context_object_name = "episodes"

    def get_queryset(self):
        episodes = super().get_queryset().filter(season=self.kwargs["season"])
        if not episodes.exists():
            raise Http404("No published episodes in this season.")
        return episodes

    def get_context_data(self, **kwargs):
        return super().get_context_data(season=self.kwargs["season"], **kwargs)


class EpisodeDetailView(PublicMixin, DetailView):
    """The episode page: a constant number of queries whatever the transcript's length."""

    template_name = "podcasts/episode_detail.html"
    context_object_name = "episode"

    def get_queryset(self):
        return super().get_queryset().prefetch_related(*Episode.PARTS)

    def get_context_data(self, **kwargs):
        episode, show = self.object, self.show
        items = list(episode.transcript.all())
        guests = [row.guest for row in episode.episode_guests.all() if row.guest]
        return super().get_context_data(
            video_id=episode.youtube_id,
            listen_links=[link for link in episode.links.all() if web_url(link.url)],
            intro_html=sanitize(episode.intro),
            notes_html=render_markdown(episode.body),
            lines=transcript_rows(episode, items, speaker_names(episode, show)),
            timestamps=[
                {"title": header.text, "sec": sec, "position": header.position, "url": moment_url(episode, sec, header.position)}
                for header, sec in transcripts.sections(items)
            ],
            guests=guests,
            guest_names=[row.guest.name if row.guest else row.guest_short for row in episode.episode_guests.all()],
            canonical_url=show.absolute_url(episode.get_absolute_url()),
            image_url=image_address(show, episode) or web_address(show, show.artwork),
            json_ld=json_ld(episode_json_ld(episode, show, guests)),
            transcript_files={fmt: reverse("podcasts:transcript", args=[episode.slug, fmt]) for fmt in transcripts.FORMATS},
            **self.neighbours(episode),
            **kwargs,
        )

    def neighbours(self, episode) -> dict:
        """The episodes before and after in the same season (by number), published ones only."""
        if episode.season is None or episode.number is None:
            return {}
        siblings = (
            Episode.objects.published()
            .filter(season=episode.season)
            .exclude(number=None)
            .order_by("number", "slug")
            .only("slug", "title", "number")
        )
        siblings = list(siblings)
        index = next((i for i, sibling in enumerate(siblings) if sibling.pk == episode.pk), None)
        if index is None:  # a draft seen in the admin's preview sits between no published episodes
            return {}
        return {
            "previous": siblings[index - 1] if index > 0 else None,
            "next": siblings[index + 1] if index + 1 < len(siblings) else None,
        }


def moment_url(episode: Episode, sec: int | None, position: int) -> str:
    """Where a time links: that second of the video, or the item itself when there is no video."""
    if episode.youtube_id and sec is not None:
        return episode.youtube_url(sec)
    return f"#t-{position}"


def transcript_rows(episode: Episode, items, names: dict[str, str]) -> list[dict]:
    """The transcript as the page shows it: each item with its speaker's name and its link."""
    return [
        {
            "position": item.position,
            "is_header": item.is_header,
            "text": item.text,
            "speaker": transcripts.speaker_name(item, names),
            "sec": item.sec,
            "url": moment_url(episode, item.sec, item.position),
        }
        for item in items
    ]


class GuestDetailView(PublicMixin, DetailView):
    """A person's page: bio, links and their published episodes. Only people who are
    on a published episode, or host the show, have one: drafts reveal no one."""

    template_name = "podcasts/guest_detail.html"
    context_object_name = "guest"
    slug_field = "short"
    slug_url_kwarg = "short"

    def get_object(self, queryset=None):
        guest = get_object_or_404(Guest, short=self.kwargs["short"])
        self.episodes = list(super().get_queryset().filter(episode_guests__guest=guest).distinct())
        if not self.episodes and guest.pk != self.show.host_id:
            raise Http404("No published episode with this person.")
        return guest

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            episodes=self.episodes,
            is_host=self.object.pk == self.show.host_id,
            canonical_url=self.show.absolute_url(self.object.get_absolute_url()),
            image_url=image_address(self.show, self.object) or web_address(self.show, self.show.artwork),
            **kwargs,
        )


class SearchView(PublicMixin, TemplateView):
    template_name = "podcasts/search.html"

    def get_context_data(self, **kwargs):
        query = normalize_query(self.request.GET.get("q", ""))
        page = search(query, self.request.GET.get("page")) if query else None
        return super().get_context_data(query=query, page_obj=page, results=page or [], **kwargs)


class TranscriptFileView(PublicMixin, DetailView):
    """``transcript.vtt|srt|json|txt`` of a published episode."""

    def get_queryset(self):
        return Episode.objects.published().prefetch_related(GUESTS, "transcript")

    def render_to_response(self, context):
        episode, fmt = self.object, self.kwargs["format"]
        items = list(episode.transcript.all())
        names = speaker_names(episode, self.show)
        if fmt == "txt":
            body = transcripts.plain_text(episode.title, items, names)
        else:
            body = transcripts.player_file(fmt, items, names, timecode.parse_duration(episode.duration))
        return HttpResponse(body, content_type=transcripts.content_type(fmt))


class ChaptersView(PublicMixin, DetailView):
    """``chapters.json`` (Podcasting 2.0 JSON chapters) of a published episode."""

    def get_queryset(self):
        return Episode.objects.published().prefetch_related("transcript", "clips")

    def render_to_response(self, context):
        episode = self.object
        data = transcripts.chapters(
            list(episode.transcript.all()), list(episode.clips.all()), timecode.parse_duration(episode.duration)
        )
        for chapter in data["chapters"]:  # a clip's link goes to the web or nowhere
            if url := web_url(chapter.pop("url", "")):
                chapter["url"] = url
        return HttpResponse(json.dumps(data, ensure_ascii=False, indent=1), content_type="application/json+chapters")


def allow_any_origin(view):
    """``Access-Control-Allow-Origin: *``, which the Podcasting 2.0 transcript spec requires so
    that players in a browser may fetch the transcript, chapters and feed from another site.
    Outside the page cache, so that cached responses and 304s carry it too."""

    @wraps(view)
    def view_for_any_origin(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return view_for_any_origin


def page_not_found(request, exception):
    """The 404 page in the site's layout (``handler404``)."""
    return render(request, "404.html", {"show": Show.current()}, status=404)


def server_error(request):
    """The 500 page in the site's layout (``handler500``), with the show's defaults: it must
    render when the error is the database's. When the layout itself cannot render (no static
    files manifest yet), Django's plain page: the first error stays the one logged."""
    try:
        return render(request, "500.html", {"show": Show()}, status=500)
    except Exception:
        return HttpResponseServerError("<h1>Server Error (500)</h1>")


class RobotsView(PublicMixin, TemplateView):
    template_name = "podcasts/robots.txt"
    content_type = "text/plain; charset=utf-8"

    def get_context_data(self, **kwargs):
        return super().get_context_data(sitemap_url=self.show.absolute_url(reverse("podcasts:sitemap")), **kwargs)
