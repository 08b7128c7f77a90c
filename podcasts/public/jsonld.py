"""schema.org structured data (JSON-LD) for the episode page."""

from podcasts.models import Episode, Show

from .rendering import web_url


def episode_json_ld(episode: Episode, show: Show, guests) -> dict:
    """A ``PodcastEpisode`` with its series, season, guests and clips. Reads the
    prefetched ``clips``; ``guests`` are the episode's people with a profile."""
    data = {
        "@context": "https://schema.org",
        "@type": "PodcastEpisode",
        "name": episode.title,
        "url": show.absolute_url(episode.get_absolute_url()),
        "description": episode.description,
        "partOfSeries": {"@type": "PodcastSeries", "name": show.title, "url": show.absolute_url("/")},
        "actor": [
            {"@type": "Person", "name": guest.name or guest.short, "url": show.absolute_url(guest.get_absolute_url())}
            for guest in guests
        ],
        "hasPart": [
            {
                "@type": "Clip",
                "name": clip.name,
                "startOffset": clip.start_offset,
                "endOffset": clip.end_offset,
                **({"url": url} if (url := web_url(clip.url)) else {}),
            }
            for clip in episode.clips.all()
        ],
    }
    if episode.number is not None:
        data["episodeNumber"] = episode.number
    if episode.season is not None:
        data["partOfSeason"] = {"@type": "PodcastSeason", "seasonNumber": episode.season, "name": f"Season {episode.season}"}
    if episode.date or episode.published_at:
        data["datePublished"] = (episode.date or episode.published_at.date()).isoformat()
    if episode.duration:
        data["timeRequired"] = episode.duration
    return data
