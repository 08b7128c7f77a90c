"""Forms of the editorial admin."""

from django import forms
from django.db import transaction

from .models import Episode, Guest


class EpisodeForm(forms.ModelForm):
    """The episode change form, with the version the editor loaded.

    A save against an older version is refused with the editor's input kept,
    so a second editor never silently overwrites the first."""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Episode
        fields = (
            "slug", "title", "short_title", "season", "number", "status", "published_at",
            "description", "intro", "body", "image", "topics", "date_added", "date", "duration", "extra",
        )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        loaded = cleaned.get("loaded_version")
        if self.instance.pk and loaded is not None:
            # The admin's change view runs in a transaction: the row stays locked until the save.
            with transaction.atomic():
                current = Episode.objects.select_for_update().values_list("version", flat=True).get(pk=self.instance.pk)
            if current != loaded:
                raise forms.ValidationError(
                    "Someone else saved this episode after you opened it. Your changes are still in the form "
                    "but were not saved: copy what you need, reload the page, and apply them again.",
                    code="conflict",
                )
        return cleaned


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files if item] or super().clean(None)


class ImportUploadForm(forms.Form):
    files = MultipleFileField(
        widget=MultipleFileInput(attrs={"accept": ".md,.zip"}),
        help_text="One or more episode files (<slug>.md), or a .zip of them.",
    )


class ImportApplyForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)
    force = forms.BooleanField(
        required=False, help_text="Overwrite episodes edited in the CMS since their last import (a revision keeps the old state)."
    )


class RenameSpeakerForm(forms.Form):
    old = forms.CharField(label="Speaker", strip=False)
    new = forms.CharField(label="Rename to", help_text="An existing name merges the two.")
    episodes = forms.ModelMultipleChoiceField(
        queryset=Episode.objects.none(), required=False, help_text="Leave empty for every episode."
    )

    def __init__(self, *args, episode_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if episode_choices is None:
            del self.fields["episodes"]
        else:
            self.fields["episodes"].queryset = episode_choices


class LinkSpeakerForm(forms.Form):
    speaker = forms.CharField(strip=False)
    guest = forms.ModelChoiceField(queryset=Guest.objects.all(), label="Person")
    everywhere = forms.BooleanField(required=False, label="In every episode", help_text="Otherwise only in this episode.")


class ScheduleForm(forms.Form):
    published_at = forms.SplitDateTimeField(
        required=False,
        widget=forms.SplitDateTimeWidget(date_attrs={"type": "date"}, time_attrs={"type": "time"}),
        help_text="Empty: publish now. A future time schedules the episode.",
    )
