"""Forms of the editorial admin."""

import re

from django import forms
from django.conf import settings
from django.utils import timezone

from podcasts.editorial import find_replace
from podcasts.editorial.fixes import FIXERS
from podcasts.editorial.ingest import PASTED_NAME, NewEpisode, ReadOptions
from podcasts.editorial.publishing import audit_errors
from podcasts.editorial.timestamps import parse_list
from podcasts.editorial.transcript import OPERATIONS
from podcasts.editorial.versions import ConflictError, check_version
from podcasts.files.schema import control_character_problem
from podcasts.files.transcript_formats import FORMATS, TranscriptFormatError
from podcasts.models import Episode, Guest, validate_file_key

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
    publish_despite_errors = forms.BooleanField(
        required=False, help_text="Needed to publish an episode whose audit finds errors (they are listed when it is)."
    )

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
        self._confirm_publishing(cleaned)
        return cleaned

    def _confirm_publishing(self, cleaned) -> None:
        """Publishing through the status field asks about the audit's errors, as the action does."""
        publishes = cleaned.get("status") == Episode.Status.PUBLISHED and self.instance.status != Episode.Status.PUBLISHED
        if not publishes or not self.instance.pk or cleaned.get("publish_despite_errors"):
            return
        found = audit_errors([self.instance.pk]).get(self.instance.slug, [])
        if found:
            listed = "; ".join(f"{finding.rule}: {finding.message}" for finding in found)
            self.add_error(
                "publish_despite_errors",
                f"The audit finds {len(found)} error(s): {listed}. Tick this box to publish anyway.",
            )


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
    merge = forms.BooleanField(
        required=False,
        label="Keep CMS edits",
        help_text="For episodes edited in the CMS since their last import: keep the CMS edits to values and "
        "transcript items the file does not change; where both changed the same ones, the file wins.",
    )


class RenameSpeakerForm(forms.Form):
    old = forms.CharField(label="Speaker", strip=False)
    new = forms.CharField(label="Rename to", help_text="An existing name merges the two.", validators=[refuse_control_characters])
    episodes = forms.ModelMultipleChoiceField(
        queryset=Episode.objects.none(), required=False, help_text="Leave empty for every episode."
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)  # a rename in every episode, once counted

    def __init__(self, *args, episode_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if episode_choices is None:
            del self.fields["episodes"], self.fields["confirmed"]
        else:
            self.fields["episodes"].queryset = episode_choices

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("new") is not None and cleaned.get("new", "").strip() == cleaned.get("old"):
            self.add_error("new", "This is the name already: nothing to rename.")
        return cleaned


class LinkSpeakerForm(forms.Form):
    speaker = forms.CharField(strip=False)
    guest = forms.ModelChoiceField(queryset=Guest.objects.all(), label="Person")
    everywhere = forms.BooleanField(required=False, label="In every episode", help_text="Otherwise only in this episode.")


class ScheduleForm(forms.Form):
    published_at = forms.SplitDateTimeField(
        required=False,
        widget=forms.SplitDateTimeWidget(date_attrs={"type": "date"}, time_attrs={"type": "time"}),
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput, help_text="Publish despite the audit's errors.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        zone = timezone.get_current_timezone_name()
        self.fields["published_at"].label = f"Publication time ({zone})"
        self.fields["published_at"].help_text = f"In {zone}. Empty: publish now. A future time schedules the episode."


class FindForm(forms.Form):
    """A search across every transcript (``editorial.find_replace``)."""

    pattern = forms.CharField(label="Find", strip=False, max_length=500)
    regex = forms.BooleanField(required=False, label="Regular expression")
    case_sensitive = forms.BooleanField(required=False, label="Match case")
    whole_word = forms.BooleanField(required=False, label="Whole words only")
    places = forms.MultipleChoiceField(
        choices=list(find_replace.PLACES.items()),
        initial=list(find_replace.PLACES),
        widget=forms.CheckboxSelectMultiple,
        label="In",
    )

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            try:
                self.query().compile()
            except ValueError as error:
                self.add_error("pattern", str(error))
        return cleaned

    def query(self) -> find_replace.Query:
        data = self.cleaned_data
        return find_replace.Query(
            data["pattern"], data["regex"], data["case_sensitive"], data["whole_word"], tuple(data["places"])
        )


class MatchKeysField(forms.Field):
    """The chosen matches, as ``find_replace.match_key`` names them."""

    widget = forms.MultipleHiddenInput
    KEY = re.compile(rf"^\d{{1,19}}:({'|'.join(find_replace.PLACES)}):\d{{1,9}}$")

    def to_python(self, value) -> list[str]:
        keys = [str(key) for key in value or ()]
        if not keys:
            raise forms.ValidationError("Choose at least one match.", code="required")
        bad = next((key for key in keys if not self.KEY.match(key)), None)
        if bad is not None:
            raise forms.ValidationError(f"{bad[:30]!r} is not a match.")
        return keys


class ReplaceForm(FindForm):
    """Replace the chosen matches of a search: first a preview, then for real."""

    replacement = forms.CharField(required=False, strip=False, max_length=500, validators=[refuse_control_characters])
    matches = MatchKeysField()
    step = forms.ChoiceField(choices=[("preview", "Preview"), ("apply", "Replace")], widget=forms.HiddenInput)


class CompareAgainstForm(forms.Form):
    """What a revision is compared with: the previous revision, the current state, or another revision."""

    PREVIOUS, CURRENT = "previous", "current"
    against = forms.ChoiceField(label="Compare with")

    def __init__(self, *args, others, **kwargs):
        super().__init__(*args, **kwargs)
        self.others = {str(revision.pk): revision for revision in others}
        choices = [(self.PREVIOUS, "the previous revision"), (self.CURRENT, "the current state")]
        self.fields["against"].choices = choices + [(pk, str(revision)) for pk, revision in self.others.items()]

    def clean_against(self):
        value = self.cleaned_data["against"]
        return self.others.get(value, value)


class RevisionPairForm(forms.Form):
    """Two revisions to compare (any two, in either order)."""

    old = forms.ModelChoiceField(queryset=None, widget=forms.HiddenInput)
    new = forms.ModelChoiceField(queryset=None, widget=forms.HiddenInput)

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old"].queryset = self.fields["new"].queryset = queryset


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


# Raw transcripts: a new episode, or a replaced transcript (views.ingest) --------------------


class TranscriptReadForm(forms.Form):
    """How a raw transcript is read; asked with the upload and again on the preview."""

    format = forms.ChoiceField(choices=[("", "detect"), *FORMATS.items()], required=False)
    keep_cues = forms.BooleanField(
        required=False,
        label="Keep cues apart",
        help_text="WebVTT, SubRip and JSON cut a turn into short cues; "
        "unticked, consecutive cues of one speaker become one line.",
    )
    allow_backwards = forms.BooleanField(
        required=False,
        label="Accept times going backwards",
        help_text="Refused otherwise, naming the line; accepted, each one is shown and the audit flags it.",
    )

    def read_options(self) -> ReadOptions:
        data = self.cleaned_data
        return ReadOptions(data["format"] or None, not data["keep_cues"], data["allow_backwards"])


class TranscriptUploadForm(TranscriptReadForm):
    file = forms.FileField(
        required=False, allow_empty_file=True, help_text="A .txt, .docx, .vtt, .srt or .json transcript."
    )  # an empty file is the reader's message, which names it
    text = forms.CharField(required=False, strip=False, widget=forms.Textarea(attrs={"rows": 8}), label="Or paste it")
    field_order = ("file", "text", "format", "keep_cues", "allow_backwards")

    def clean(self):
        cleaned = super().clean()
        upload, text = cleaned.get("file"), cleaned.get("text")
        if bool(upload) == bool(text and text.strip()):
            raise forms.ValidationError("Upload a file or paste a transcript (one of them).")
        limit = settings.PODCASTS_MAX_FILE_BYTES
        if upload and upload.size > limit:
            raise forms.ValidationError(f"{upload.name}:1: the file is {upload.size:,} bytes, over the limit of {limit:,} bytes")
        return cleaned

    def source(self) -> tuple[str, bytes]:
        """The transcript's name (a pasted one is ``pasted.txt``) and bytes."""
        upload = self.cleaned_data["file"]
        return (upload.name, upload.read()) if upload else (PASTED_NAME, self.cleaned_data["text"].encode("utf-8"))


class StagedTranscriptForm(TranscriptReadForm):
    """The preview's form: which staged transcript, and (replacing) the version it was made against."""

    upload = forms.UUIDField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class NewEpisodeForm(forms.Form):
    slug = forms.CharField(max_length=200, validators=[validate_file_key], help_text="The file name without .md.")
    title = forms.CharField(max_length=500, validators=[refuse_control_characters])
    short = forms.CharField(
        max_length=500, required=False, validators=[refuse_control_characters], help_text="Short title; empty: the title."
    )
    season = forms.IntegerField(required=False, min_value=0, max_value=2**31 - 1)
    number = forms.IntegerField(required=False, min_value=0, max_value=2**31 - 1, label="Episode")
    guests = forms.ModelMultipleChoiceField(queryset=Guest.objects.all(), required=False)
    youtube = forms.RegexField(regex=r"^[\w-]{1,100}$", required=False, label="YouTube video id")

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if Episode.objects.filter(slug=slug).exists():
            raise forms.ValidationError("An episode with this slug exists already: replace its transcript instead.")
        return slug

    def new_episode(self) -> NewEpisode:
        data = self.cleaned_data
        ids, links = NewEpisode.youtube(data["youtube"])
        guests = tuple(guest.short for guest in data["guests"])
        return NewEpisode(data["slug"], data["title"], data["short"], data["season"], data["number"], guests, ids, links)


class SpeakerMappingForm(forms.Form):
    """Per raw speaker (``name-N``, as found): the `who:` it becomes, and whether to remember it."""

    count = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=settings.DATA_UPLOAD_MAX_NUMBER_FIELDS)

    def __init__(self, *args, speakers=(), mapping=None, remembered=(), **kwargs):
        """Unbound: a row per speaker in ``speakers``. Bound: a row per ``count`` posted."""
        super().__init__(*args, **kwargs)
        if self.is_bound:
            posted = str(self.data.get("count", ""))
            speakers = [None] * min(int(posted), settings.DATA_UPLOAD_MAX_NUMBER_FIELDS) if posted.isdigit() else []
        self.speaker_count = len(speakers)
        self.fields["count"].initial = len(speakers)
        for index, name in enumerate(speakers):
            self.fields[f"name-{index}"] = forms.CharField(widget=forms.HiddenInput, initial=name, strip=False)
            self.fields[f"who-{index}"] = forms.CharField(
                required=False,
                max_length=500,
                validators=[refuse_control_characters],
                initial=(mapping or {}).get(name, name),
                widget=forms.TextInput(attrs={"list": "speaker-choices"}),
            )
            self.fields[f"remember-{index}"] = forms.BooleanField(required=False, initial=name in remembered)

    def rows(self):
        """(name field, who field, remember field) for each speaker, for the template."""
        return [(self[f"name-{i}"], self[f"who-{i}"], self[f"remember-{i}"]) for i in range(self.speaker_count)]

    def mapping(self) -> tuple[dict[str, str], set[str]]:
        """The `who:` chosen for each raw speaker, and the raw speakers to remember."""
        data = self.cleaned_data
        rows = [(data[f"name-{i}"], data[f"who-{i}"].strip(), data[f"remember-{i}"]) for i in range(self.speaker_count)]
        return {name: who for name, who, _ in rows}, {name for name, _, remember in rows if remember}


class TimestampsForm(VersionForm):
    """A timestamps list pasted on the episode's Timestamps page; ``cleaned_data["timestamps"]``
    is its stamps (``editorial.timestamps.parse_list``)."""

    timestamps = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 12, "cols": 80, "spellcheck": "false"}),
        strip=False,
        help_text="One header a line: HH:MM:SS Title (H:MM:SS and M:SS too).",
    )

    def clean_timestamps(self):
        try:
            return parse_list(self.cleaned_data["timestamps"].encode("utf-8"))
        except TranscriptFormatError as error:
            raise forms.ValidationError(f"Line {error.line}: {error.message}", code="malformed") from None


class ClipsForm(VersionForm):
    """The proposed clips an editor keeps, by their index in the proposal."""

    clip = forms.TypedMultipleChoiceField(coerce=int, error_messages={"required": "Choose at least one clip."})

    def __init__(self, *args, proposed: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clip"].choices = [(index, index) for index in range(proposed)]


class FixTargetForm(forms.Form):
    """Which audit fix a page shows: the finding of ``rule`` at ``position``, or (no position)
    every finding of ``rule`` in the episode."""

    rule = forms.ChoiceField(choices=[(rule, rule) for rule in FIXERS])
    position = forms.IntegerField(min_value=0, max_value=IdListField.LARGEST_ID, required=False, widget=forms.HiddenInput)


class FixApplyForm(FixTargetForm, VersionForm):
    """Apply the fix shown; ``sec``: the time the editor chose for a line whose time goes backwards."""

    rule = forms.ChoiceField(choices=FixTargetForm.base_fields["rule"].choices, widget=forms.HiddenInput)
    sec = forms.IntegerField(min_value=0, max_value=2**31 - 1, required=False, label="New sec")


class BulkFixForm(forms.Form):
    """The changelist's "fix all of this kind": the rule, then (after the preview) ``apply``."""

    fix_rule = forms.ChoiceField(choices=[(rule, f"{rule}: {fixer.label}") for rule, fixer in FIXERS.items()], label="Rule")
    apply = forms.BooleanField(required=False)
