"""schema.org structured data (JSON-LD) for the episode page."""

from urllib.parse import quote

from podcasts import timecode
from podcasts.models import Episode, Show

from .rendering import web_address, web_url


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
    if released := episode.released_at:
        data["datePublished"] = released.isoformat()  # the feed's pubDate, to the second
    if timecode.parse_duration(episode.duration):
        data["duration"] = episode.duration
    if image := web_address(show, episode.image or show.artwork):
        data["image"] = image
    media = [*video_object(episode, data), *audio_object(episode, data)]
    if media:
        data["associatedMedia"] = media
    return data


def video_object(episode: Episode, data: dict) -> list[dict]:
    """The episode's YouTube video, as schema.org describes a video hosted elsewhere."""
    if not episode.youtube_id:
        return []
    video = {
        "@type": "VideoObject",
        "name": episode.title,
        "url": episode.youtube_url(),
        "embedUrl": f"https://www.youtube-nocookie.com/embed/{quote(episode.youtube_id, safe='')}",
    }
    shared = taken_from(data, description="description", duration="duration", thumbnailUrl="image", uploadDate="datePublished")
    return [video | shared]


def audio_object(episode: Episode, data: dict) -> list[dict]:
    """The audio file (`audio:`), when it has a web address."""
    if not (url := web_url(episode.audio_url)):
        return []
    audio = {"@type": "AudioObject", "contentUrl": url}
    if episode.audio_type:
        audio["encodingFormat"] = episode.audio_type
    if episode.audio_length is not None:
        audio["contentSize"] = f"{episode.audio_length} B"
    return [audio | taken_from(data, duration="duration", uploadDate="datePublished")]


def taken_from(data: dict, **sources: str) -> dict:
    """The episode's values the media object repeats under its own names, those that are set."""
    return {key: data[source] for key, source in sources.items() if data.get(source)}
