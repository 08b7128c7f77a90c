"""Forms of the editorial admin."""

from django import forms
from django.conf import settings

from podcasts.editorial.transcript import OPERATIONS
from podcasts.editorial.versions import ConflictError, check_version
from podcasts.files.schema import control_character_problem
from podcasts.models import Episode, Guest

CONFLICT_KEEP_INPUT = (
    "Someone else saved this episode after you opened it. Your changes are still in the form "
    "but were not saved: copy what you need, reload the page, and apply them again."
)


def refuse_control_characters(value) -> None:
    """No text an editor types may hold a control character an import would refuse."""
    problem = control_character_problem(value) if isinstance(value, str) else None
    if problem:
        raise forms.ValidationError(f"This text {problem}; remove it.", code="control_character")


class ExactTextForm(forms.ModelForm):
    """A model form that gives text back exactly as stored when the editor changed nothing.

    Form fields strip whitespace by default and browsers send a textarea's line breaks
    as CRLF; either would change the exported file (a body's leading blank line, its
    final newline). Here nothing is stripped, and CRLF becomes LF again unless the
    stored text itself used CRLF. The base form of every admin that edits file content."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                field.strip = False
                field.validators.append(refuse_control_characters)

    def clean(self):
        cleaned = super().clean()
        for name, value in cleaned.items():
            stored = getattr(self.instance, name, None) if self.instance.pk else None
            if isinstance(value, str) and "\r\n" in value and "\r\n" not in (stored if isinstance(stored, str) else ""):
                cleaned[name] = value.replace("\r\n", "\n")
        return cleaned


class EpisodeForm(ExactTextForm):
    """The episode change form, with the version the editor loaded (required once the
    episode exists). A save against an older version is refused with the editor's input
    kept, so a second editor never silently overwrites the first."""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Episode
        fields = (
            "slug", "title", "short_title", "season", "number", "status", "published_at",
            "description", "intro", "body", "image", "topics", "date_added", "date", "duration", "extra",
            "audio_url", "audio_length", "audio_type", "guid",
        )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.version
            self.fields["loaded_version"].required = True

    def clean(self):
        cleaned = super().clean()
        loaded = cleaned.get("loaded_version")
        if self.instance.pk and loaded is not None:
            try:
                check_version(self.instance.pk, loaded)  # the change view is one transaction: the row stays locked
            except ConflictError:
                raise forms.ValidationError(CONFLICT_KEEP_INPUT, code="conflict") from None
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
    upload = forms.UUIDField(widget=forms.HiddenInput)
    force = forms.BooleanField(
        required=False, help_text="Overwrite episodes edited in the CMS since their last import (a revision keeps the old state)."
    )


class RenameSpeakerForm(forms.Form):
    old = forms.CharField(label="Speaker", strip=False)
    new = forms.CharField(label="Rename to", help_text="An existing name merges the two.", validators=[refuse_control_characters])
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


class VersionForm(forms.Form):
    """The version of the episode a page was loaded with (see ``editorial.versions``)."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class TranscriptForm(VersionForm):
    """The editor's button: ``save``, or ``<operation>:<index>`` for one item. The items
    themselves are numbered fields (``text-3``) read by ``views.transcript``."""

    op = forms.RegexField(regex=rf"^(save|({'|'.join(OPERATIONS)}):\d+)$", required=False)
    count = forms.IntegerField(min_value=0, max_value=settings.DATA_UPLOAD_MAX_NUMBER_FIELDS)

    def operation(self) -> tuple[str, int | None]:
        name, _, target = (self.cleaned_data["op"] or "save").partition(":")
        return name, int(target) if target else None


class IdListField(forms.Field):
    """Ids as the admin's checkboxes post them: positive whole numbers that fit a database id."""

    widget = forms.MultipleHiddenInput
    LARGEST_ID = 2**63 - 1

    def to_python(self, value) -> list[int]:
        ids = []
        for text in value or ():
            try:
                number = int(text)
            except (TypeError, ValueError):
                raise forms.ValidationError(f"{str(text)[:20]!r} is not an id.") from None
            if not 0 < number <= self.LARGEST_ID:
                raise forms.ValidationError(f"{number} is not an id.")
            ids.append(number)
        return ids


class ActionSelectionForm(forms.Form):
    selected = IdListField(required=False)
