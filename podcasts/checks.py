"""Feed readiness: what podcast directories require and the show or its episodes lack.

The rules are the models' (``Show.feed_problems``, ``Episode.feed_problems``); this
module gathers them for the show's admin page and for ``manage.py check``, which
warns about them (``podcasts.W001`` for the show, ``podcasts.W002`` for episodes).
"""

from collections import defaultdict

from django.core import checks
from django.db import DatabaseError

from podcasts.models import Episode, Show

READINESS_FIELDS = ("slug", "title", "description", "duration", "audio_url", "audio_length", "audio_type")


def episodes_by_problem() -> dict[str, list[Episode]]:
    """Each problem of the episodes in the feed (published, scheduled ones too), with the
    episodes that have it, in the feed's order."""
    found = defaultdict(list)
    episodes = Episode.objects.filter(status=Episode.Status.PUBLISHED).only(*READINESS_FIELDS).order_by("-published_at")
    for episode in episodes:
        for problem in episode.feed_problems():
            found[problem].append(episode)
    return dict(found)


@checks.register()
def feed_readiness(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    try:
        show_problems, episode_problems = Show.current().feed_problems(), episodes_by_problem()
    except DatabaseError:  # no tables yet (before migrate): there is no content to judge
        return []
    hint = "Fill it in on the show's admin page before submitting the feed to a directory."
    warnings = [checks.Warning(f"Feed: the show: {problem}.", hint=hint, id="podcasts.W001") for problem in show_problems]
    for problem, episodes in episode_problems.items():
        named = ", ".join(episode.slug for episode in episodes[:5]) + (", ..." if len(episodes) > 5 else "")
        message = f"Feed: {len(episodes)} published episode(s): {problem} ({named})."
        warnings.append(checks.Warning(message, hint="See Feed readiness on the show's admin page.", id="podcasts.W002"))
    return warnings
