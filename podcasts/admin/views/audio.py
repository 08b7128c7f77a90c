"""Audio and the feed in the episode admin: what the feed still lacks, and the action that
reads an audio file's size and type from its URL."""

from django.contrib import admin, messages
from django.utils.html import format_html, format_html_join

from podcasts.editorial.audio import AudioProbeError, fill_audio_details


class AudioPages:
    @admin.display(description="Feed readiness")
    def feed_readiness(self, episode):
        problems = episode.feed_problems()
        if not problems:
            return "Ready: podcast apps get everything they need."
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((problem,) for problem in problems)))

    @admin.action(description="Fill audio length and type from the audio URL (HEAD request)", permissions=["change"])
    def fill_audio_from_url(self, request, queryset):
        filled = 0
        for episode in queryset.exclude(audio_url=""):
            try:
                details = fill_audio_details(episode, user=request.user)
            except AudioProbeError as error:
                self.message_user(request, f"Audio of {episode.slug}: {error}", messages.ERROR)
                continue
            self.log_change(request, episode, f"Audio: {details.length:,} bytes, {details.mime_type}, read from its URL.")
            filled += 1
        skipped = queryset.filter(audio_url="").count()
        note = f"; {skipped} selected episode(s) have no audio URL" if skipped else ""
        self.message_user(request, f"Filled the audio length and type of {filled} episode(s){note}.", messages.INFO)
