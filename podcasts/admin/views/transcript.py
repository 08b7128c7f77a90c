"""The transcript editor. Loading it is the only full page load of an editing session:
with its script, each change posts one row and gets back the rows it touched; without
it, the page is a plain form whose Save posts the rows shown. Either way a change is
checked item by item against the state the editor loaded (``editorial.transcript``)."""

import re
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse

from podcasts.admin.findings import audit_findings
from podcasts.admin.forms import TranscriptFindForm, TranscriptForm
from podcasts.editorial import transcript as editing
from podcasts.models import Show, TranscriptLine
from podcasts.speakers import speaker_choices

PAGE_SIZE = 500  # items a page: a 10,000-item transcript opens, and a Save stays far below the field limit
QUOTED_EXCERPT = re.compile(r": '[^']*'$")
TEXT_FIELD = re.compile(r"^t(\d{1,18}):(.{0,100})$")
SHORTCUTS = {
    "to-header": "Alt+Shift+H",
    "to-line": "Alt+Shift+L",
    "insert-header": "Alt+Shift+I",
    "split": "Alt+Shift+S",
    "merge": "Alt+Shift+M",
    "swap": "Alt+Shift+W",
    "up": "Alt+Shift+↑",
    "down": "Alt+Shift+↓",
    "delete": "Alt+Shift+Delete",
}


@dataclass
class Row:
    """One item as the editor shows it: ``values`` are the inputs' contents, ``base`` the
    state they were loaded from (after a conflict, the state saved meanwhile, so that a
    second save keeps the editor's text)."""

    line: TranscriptLine
    values: dict
    base: str
    findings: list = field(default_factory=list)
    conflicts: list = field(default_factory=list)  # (input name, editing.Conflict)
    error: str = ""
    gone: bool = False  # deleted by someone else: only the message is left

    def input_name(self, name: str) -> str:
        """The name of the input of field ``name`` (see ``submitted_edits``)."""
        pk = self.line.pk
        return f"t{pk}:{self.base}" if name == "text" else f"{name[0] if name == 'speaker' else 'm'}{pk}"


def stored_row(line: TranscriptLine, findings=()) -> Row:
    values = {name: editing.field_value(line, name) for name in editing.FIELDS}
    return Row(line, values, editing.fingerprint(line), list(findings))


class TranscriptPage:
    def transcript_view(self, request, object_id):
        if request.method == "POST":
            return self._transcript_change(request, object_id)
        episode = self.get_page_object(request, object_id, parts=("episode_guests__guest",))
        return self._render_transcript(request, episode, TranscriptFindForm(request.GET))

    def _transcript_change(self, request, object_id):
        episode = self.get_page_object(request, object_id)
        form = TranscriptForm(request.POST)
        edits = submitted_edits(request.POST)
        try:
            if not form.is_valid():
                raise ValueError(" ".join(message for errors in form.errors.values() for message in errors))
            outcome = editing.edit_items(episode, edits, self._operation(episode, form), user=request.user)
        except ValueError as error:
            return self._refused(request, episode, edits, f"Nothing was saved: {error}")
        if outcome.changed:
            self.log_change(request, episode, "Edited the transcript.")
        lost = [f"An item you edited was deleted by someone else; your text for it: “{text}”" for text in outcome.lost]
        if request.htmx:
            return self._changed_rows(request, outcome, edits, lost)
        if outcome.conflicts:
            return self._refused(request, episode, edits, CONFLICT_MESSAGE, outcome)
        for message in lost:
            messages.warning(request, message)
        messages.success(request, "Saved." if outcome.changed else "Nothing to save: nothing was changed.")
        anchor = f"#item-{form.cleaned_data['item']}" if form.cleaned_data["action"] else ""
        return HttpResponseRedirect(request.get_full_path() + anchor)

    def _operation(self, episode, form) -> editing.Operation | None:
        data = form.cleaned_data
        if data["op"]:
            name, _, target = data["op"].partition(":")
            return editing.Operation(name, int(target), at=data["at"], neighbor=data["neighbor"])
        if data["action"]:
            target = episode.transcript.filter(position=data["item"]).values_list("pk", flat=True).first()
            if target is None:
                raise ValueError(f"there is no item {data['item']}")
            return editing.Operation(data["action"], target)
        return None

    def _changed_rows(self, request, outcome, edits, lost):
        """The rows a change touched, to take the place of the row that sent it (and of the
        neighbor named in ``X-Replaced``); after a conflict, the row in its conflict state."""
        if outcome.conflicts:
            rows = [conflict_row(line, edits, outcome.conflicts[line.pk]) for line in outcome.rows]
        else:
            rows = [stored_row(line) for line in outcome.rows]
        if lost:
            rows = [Row(TranscriptLine(), {"text": ""}, "", error=message, gone=True) for message in lost]
        response = TemplateResponse(request, "admin/podcasts/episode/transcript_rows.html", {"rows": rows})
        if outcome.replaced:
            response["X-Replaced"] = str(outcome.replaced)
        return response

    def _refused(self, request, episode, edits, message, outcome=None):
        """Nothing saved: the editor's input shown again, with the reason."""
        if request.htmx:
            rows = [typed_row(line, edit, message) for line, edit in typed_lines(episode, edits)]
            return TemplateResponse(request, "admin/podcasts/episode/transcript_rows.html", {"rows": rows}, status=200)
        messages.error(request, message)
        return self._render_transcript(request, episode, TranscriptFindForm(request.GET), edits, outcome)

    def _render_transcript(self, request, episode, find, edits=(), outcome=None):
        findings = findings_by_position(episode)
        lines, page, pages = page_of_lines(episode, find, findings)
        typed = {edit.id: edit for edit in edits}
        conflicts = outcome.conflicts if outcome else {}
        rows = []
        for line in lines:
            row = stored_row(line, findings.get(line.position, ()))
            if line.pk in conflicts:
                row = conflict_row(line, edits, conflicts[line.pk])
            elif line.pk in typed:
                row.values.update(typed[line.pk].values)
                row.base = typed[line.pk].base
            rows.append(row)
        context = {
            "episode": episode,
            "rows": rows,
            "count": episode.transcript.count(),
            "find": find,
            "page": page,
            "pages": pages,
            "query": find_query(find),
            "speaker_choices": speaker_choices(episode, Show.current()),
            "actions": [(name, label, SHORTCUTS[name]) for name, label in editing.ROW_ACTIONS],
            "form": TranscriptForm(),
            "is_nav_sidebar_enabled": False,  # the text column takes the page's width
        }
        return self.render_page(request, "transcript.html", context, f"Transcript: {episode}")


CONFLICT_MESSAGE = (
    "Someone else changed an item you edited since you opened it. Nothing was saved; your "
    "input is still here, with what they saved beside it: Save again to keep yours, or take theirs."
)


def submitted_edits(data) -> list[editing.ItemEdit]:
    """The rows the page sent. A row's text is named ``t<id>:<state loaded>`` (the state
    rides on the name, not in a field of its own: a quarter of a row's markup less);
    its speaker ``s<id>`` and time ``m<id>``, when it has them."""
    edits = []
    for key in data:
        match = TEXT_FIELD.match(key)
        if match:
            pk = match[1]
            values = {name: data[prefix + pk] for name, prefix in (("speaker", "s"), ("time", "m")) if prefix + pk in data}
            edits.append(editing.ItemEdit(int(pk), match[2], {**values, "text": data[key]}))
    return edits


def conflict_row(line, edits, conflicts) -> Row:
    """The editor's input against the item as saved meanwhile: saving it again keeps theirs."""
    edit = next(edit for edit in edits if edit.id == line.pk)
    row = stored_row(line)
    row.values.update(edit.values)
    row.conflicts = [(row.input_name(name), conflict) for name, conflict in conflicts.items()]
    return row


def typed_lines(episode, edits):
    stored = episode.transcript.in_bulk([edit.id for edit in edits])
    return [(stored[edit.id], edit) for edit in edits if edit.id in stored]


def typed_row(line, edit, message) -> Row:
    row = stored_row(line)
    row.values.update(edit.values)
    row.base, row.error = edit.base, message
    return row


def findings_by_position(episode) -> dict[int, list]:
    """The audit's findings by item, each message without the excerpt of the item's text
    that it quotes (the row shows the text itself)."""
    findings = {}
    for finding in audit_findings([episode])[episode.pk]:
        if finding.position is not None:
            message = QUOTED_EXCERPT.sub("", finding.message)
            findings.setdefault(finding.position, []).append(replace(finding, message=message))
    return findings


def page_of_lines(episode, find, findings) -> tuple[list, int, int]:
    """The items that match ``find``, one page of them: the page asked for, or the one holding ``item``."""
    lines = episode.transcript.all()
    data = find.cleaned_data if find.is_valid() else {}
    if data.get("q"):
        lines = lines.filter(Q(text__icontains=data["q"]) | Q(speaker__icontains=data["q"]))
    if data.get("speaker"):
        lines = lines.filter(speaker=data["speaker"])
    if data.get("problems"):
        lines = lines.filter(position__in=list(findings))
    total = lines.count()
    pages = max(1, -(-total // PAGE_SIZE))
    if data.get("item") is not None:
        page = lines.filter(position__lt=data["item"]).count() // PAGE_SIZE + 1
    else:
        page = min(data.get("page") or 1, pages)
    return list(lines[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]), page, pages


def find_query(find) -> str:
    """The search as a query string, for the page links."""
    data = find.cleaned_data if find.is_valid() else {}
    return urlencode({name: data[name] for name in ("q", "speaker", "problems") if data.get(name)})
