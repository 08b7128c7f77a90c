"""The episode admin's own pages. Each view is ``view(model_admin, request, ...)``;
``EpisodeAdmin.get_urls`` mounts them behind the admin login and a permission."""

import difflib
import functools
import shutil
import tempfile
import uuid
import zipfile
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Min
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse

from . import audit, editing, importing
from .exporting import export_bytes, file_name
from .forms import ImportApplyForm, ImportUploadForm, LinkSpeakerForm, RenameSpeakerForm, ScheduleForm
from .models import Episode, Revision, Show, SpeakerAlias, TranscriptLine
from .views import GUESTS, EpisodeDetailView

STAGING = Path(tempfile.gettempdir()) / "podcasts-import"


def require(model_admin, permission: str, view):
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not getattr(model_admin, f"has_{permission}_permission")(request):
            raise PermissionDenied
        return view(model_admin, request, *args, **kwargs)

    return wrapped


def _episode(pk) -> Episode:
    return get_object_or_404(Episode.objects.for_export(), pk=pk)


def _change_url(episode) -> str:
    return reverse("admin:podcasts_episode_change", args=[episode.pk])


# -------------------------------------------------------------------- import


def import_files(model_admin, request):
    """Upload .md files or a .zip; preview per file; apply with the same rules as import_episodes."""
    if request.method == "POST" and "token" in request.POST:
        form = ImportApplyForm(request.POST)
        folder = STAGING / form.data.get("token", "")
        if not form.is_valid() or not folder.is_dir() or folder.parent != STAGING:
            messages.error(request, "That upload has expired; upload the files again.")
            return HttpResponseRedirect(request.path)
        results = _run_import(folder, force=form.cleaned_data["force"], dry_run=False)
        shutil.rmtree(folder, ignore_errors=True)
        report = importing.ImportReport(results)
        messages.info(request, f"Import: {report.summary()}")
        return model_admin.render_page(request, "import.html", {"results": results, "applied": True}, "Import finished")
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        token = uuid.uuid4().hex
        folder = STAGING / token
        problems = _stage(form.cleaned_data["files"], folder)
        results = problems + _run_import(folder, force=False, dry_run=True)
        context = {"results": results, "apply_form": ImportApplyForm(initial={"token": token}), "preview": True}
        return model_admin.render_page(request, "import.html", context, "Import preview")
    return model_admin.render_page(request, "import.html", {"form": form}, "Import episode files")


def _stage(uploads, folder: Path) -> list[importing.FileResult]:
    """Copy uploaded .md files, and the .md members of uploaded zips, into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    limit = settings.PODCASTS_MAX_FILE_BYTES
    problems = []
    for upload in uploads:
        if upload.name.lower().endswith(".zip"):
            try:
                with zipfile.ZipFile(upload) as archive:
                    for member in archive.infolist():
                        name = PurePosixPath(member.filename).name
                        if member.is_dir() or not name.endswith(".md"):
                            continue
                        if member.file_size > limit:
                            problems.append(_too_big(f"{upload.name}/{name}", member.file_size, limit))
                            continue
                        (folder / name).write_bytes(archive.read(member))
            except zipfile.BadZipFile:
                problems.append(importing.FileResult(upload.name, importing.FAILED, f"{upload.name}:1: not a readable zip file"))
        elif upload.size > limit:
            problems.append(_too_big(upload.name, upload.size, limit))
        else:
            (folder / PurePosixPath(upload.name).name).write_bytes(upload.read())
    return problems


def _too_big(name, size, limit) -> importing.FileResult:
    return importing.FileResult(name, importing.FAILED, f"{name}:1: file is {size:,} bytes, over the limit of {limit:,} bytes")


def _run_import(folder: Path, *, force: bool, dry_run: bool) -> list[importing.FileResult]:
    return [
        importing.import_file(importing.EPISODES, path.name, path.read_bytes(), force=force, dry_run=dry_run)
        for path in sorted(folder.glob("*.md"))
    ]


class DraftPreview(EpisodeDetailView):
    """The public episode page for any episode, drafts included; only reachable through the admin."""

    def get_queryset(self):
        return Episode.objects.prefetch_related(GUESTS, "platform_ids", "links", "clips", "transcript")


def preview(model_admin, request, pk):
    episode = get_object_or_404(Episode, pk=pk)
    response = DraftPreview.as_view()(request, slug=episode.slug)
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "private, no-store"
    return response


def download(model_admin, request, pk):
    episode = _episode(pk)
    response = HttpResponse(export_bytes(episode), content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{file_name(episode)}"'
    return response


# ---------------------------------------------------------------- transcript


def transcript_editor(model_admin, request, pk):
    """All items in one form: fast at hundreds of items, one transaction per save."""
    episode = _episode(pk)
    items = editing.current_items(episode)
    if request.method == "POST":
        try:
            submitted = _submitted_items(request.POST, {item.id: item for item in items})
            operation, _, target = request.POST.get("op", "save").partition(":")
            if operation != "save":
                submitted = editing.apply_operation(submitted, operation, int(target))
            editing.save_transcript(episode, submitted, version=int(request.POST["version"]), user=request.user)
        except editing.ConflictError as error:
            messages.error(request, str(error))
            return _render_transcript(model_admin, request, episode, submitted, unsaved=True)
        except ValueError as error:
            messages.error(request, f"Nothing was saved: {error}")
            kept = _submitted_items(request.POST, {item.id: item for item in items}, strict=False)
            return _render_transcript(model_admin, request, episode, kept, unsaved=True)
        messages.success(request, "Transcript saved.")
        anchor = f"#item-{target}" if operation != "save" else ""
        return HttpResponseRedirect(request.path + anchor)
    return _render_transcript(model_admin, request, episode, items)


def _submitted_items(data, stored: dict, strict: bool = True) -> list[editing.Item]:
    """The items as submitted; a time that does not parse raises ValueError, or
    with ``strict=False`` is kept as typed so the form can show it again."""
    items = []
    for index in range(int(data.get("count", 0))):
        item_id = int(data[f"id-{index}"]) if data.get(f"id-{index}") else None
        original = stored.get(item_id) or editing.Item(None, TranscriptLine.Kind.LINE, "")
        kind = data.get(f"kind-{index}", original.kind)
        text = data.get(f"text-{index}", original.text)
        speaker = data.get(f"speaker-{index}", original.speaker or "")
        speaker = original.speaker if speaker == (original.speaker or "") else speaker
        sec, time = original.sec, original.time
        typed_time = data.get(f"time-{index}", time or "").strip()
        if typed_time != (time or ""):
            try:
                sec, time = (editing.parse_time(typed_time), typed_time) if typed_time else (None, None)
            except ValueError:
                if strict:
                    raise
                time = typed_time
        items.append(editing.Item(item_id, kind, text, speaker, sec, time))
    return items


def _render_transcript(model_admin, request, episode, items, unsaved=False):
    """``unsaved``: the items are the editor's input that was not saved, shown again
    against the version they loaded so that nothing typed is lost."""
    rows = [(index, item) for index, item in enumerate(items)]
    context = {
        "episode": episode,
        "rows": rows,
        "version": request.POST.get("version") if unsaved else episode.version,
        "speaker_choices": _speaker_choices(episode),
    }
    return model_admin.render_page(request, "transcript.html", context, f"Transcript: {episode}")


def _speaker_choices(episode) -> list[str]:
    names = list(episode.transcript.exclude(speaker=None).values_list("speaker", flat=True).distinct())
    for row in episode.episode_guests.all():
        if row.guest is not None and row.guest.name:
            names += [row.guest.name, row.guest.name.split()[0]]
    names.append(Show.current().host_speaker)
    return sorted(set(names))


# ------------------------------------------------------------------ speakers


def episode_speakers(model_admin, request, pk):
    episode = _episode(pk)
    rename = RenameSpeakerForm(request.POST if "rename" in request.POST else None)
    link = LinkSpeakerForm(request.POST if "link" in request.POST else None)
    if rename.is_bound and rename.is_valid():
        changed = editing.rename_speaker(
            rename.cleaned_data["old"], rename.cleaned_data["new"], episode_ids=[episode.pk], user=request.user
        )
        messages.success(request, f"Renamed {changed} line(s).")
        return HttpResponseRedirect(request.path)
    if link.is_bound and link.is_valid():
        _link_speaker(link.cleaned_data, episode)
        messages.success(request, f"Linked {link.cleaned_data['speaker']!r} to {link.cleaned_data['guest']}.")
        return HttpResponseRedirect(request.path)
    aliases = {alias.speaker: alias for alias in SpeakerAlias.objects.filter(episode__in=[episode, None]).select_related("guest")}
    context = {
        "episode": episode,
        "speakers": editing.speaker_counts(episode),
        "aliases": aliases,
        "rename_form": rename,
        "link_form": link,
        "speaker_choices": _speaker_choices(episode),
    }
    return model_admin.render_page(request, "speakers.html", context, f"Speakers: {episode}")


def _link_speaker(data, episode) -> None:
    scope = None if data["everywhere"] else episode
    SpeakerAlias.objects.update_or_create(speaker=data["speaker"], episode=scope, defaults={"guest": data["guest"]})


def all_speakers(model_admin, request):
    """Every speaker value across episodes, with a rename/merge scoped to chosen episodes or all."""
    old = request.POST.get("old") or request.GET.get("speaker")
    appears_in = Episode.objects.filter(transcript__speaker=old).distinct() if old is not None else Episode.objects.none()
    form = RenameSpeakerForm(request.POST or None, initial={"old": old}, episode_choices=appears_in)
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["episodes"]
        changed = editing.rename_speaker(
            form.cleaned_data["old"],
            form.cleaned_data["new"],
            episode_ids=[episode.pk for episode in chosen] or None,
            user=request.user,
        )
        messages.success(request, f"Renamed {changed} line(s).")
        return HttpResponseRedirect(request.path)
    speakers = (
        TranscriptLine.objects.filter(kind=TranscriptLine.Kind.LINE)
        .values("speaker")
        .annotate(lines=Count("id"), episodes=Count("episode", distinct=True), first_episode=Min("episode__slug"))
        .order_by("speaker")
    )
    query = request.GET.get("q", "").strip()
    if query:
        speakers = speakers.filter(speaker__icontains=query)
    context = {"speakers": speakers, "form": form, "selected": old, "appears_in": appears_in, "query": query}
    return model_admin.render_page(request, "all_speakers.html", context, "Speakers across episodes")


# --------------------------------------------------------------------- clips


def regenerate_clips(model_admin, request, pk):
    """Clips from the headers, shown next to the current ones before they replace them."""
    episode = _episode(pk)
    proposed = editing.clips_from_headers(episode)
    if request.method == "POST":
        try:
            editing.replace_clips(episode, proposed, version=int(request.POST["version"]), user=request.user)
        except editing.ConflictError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Replaced the clips with {len(proposed)} clip(s) from the headers.")
            return HttpResponseRedirect(_change_url(episode))
    current = editing.current_clips(episode)
    diff = difflib.unified_diff(
        [_clip_line(clip) for clip in current], [_clip_line(clip) for clip in proposed], "current", "from headers", lineterm=""
    )
    context = {"episode": episode, "current": current, "proposed": proposed, "diff": list(diff)}
    return model_admin.render_page(request, "clips.html", context, f"Clips from headers: {episode}")


def _clip_line(clip) -> str:
    return f"{clip['startOffset']:>6}–{clip['endOffset']:<6} {clip['name']}"


# ----------------------------------------------------------------- revisions


def revision_list(model_admin, request, pk):
    episode = get_object_or_404(Episode, pk=pk)
    revisions = episode.revisions.select_related("user").defer("text")
    context = {"episode": episode, "revisions": revisions}
    return model_admin.render_page(request, "revisions.html", context, f"History: {episode}")


def revision_detail(model_admin, request, pk):
    """The diff from a revision to the current state; POST restores it as a new revision."""
    revision = get_object_or_404(Revision.objects.select_related("episode", "guest"), pk=pk)
    subject = revision.subject
    can_restore = subject is not None and request.user.has_perm(f"podcasts.change_{subject._meta.model_name}")
    if request.method == "POST":
        if not can_restore:
            raise PermissionDenied
        editing.restore_revision(revision, user=request.user)
        messages.success(request, "Revision restored; the state before it is kept as a revision too.")
        return HttpResponseRedirect(_history_url(revision))
    diff = []
    if subject is not None:
        current = export_bytes(Episode.objects.for_export().get(pk=subject.pk) if revision.episode_id else subject)
        diff = list(
            difflib.unified_diff(
                revision.text.splitlines(), current.decode("utf-8").splitlines(), "this revision", "current", lineterm=""
            )
        )
    context = {"episode": revision.episode, "revision": revision, "diff": diff, "can_restore": can_restore}
    return model_admin.render_page(request, "revision_detail.html", context, f"Revision of {revision.file_name}")


def _history_url(revision) -> str:
    if revision.episode_id:
        return reverse("admin:podcasts_episode_revisions", args=[revision.episode_id])
    return reverse("admin:podcasts_revision_changelist") + f"?guest__id__exact={revision.guest_id}"


# ---------------------------------------------------------------- publishing


def publish_with_confirmation(model_admin, request, queryset):
    """The publish action; episodes with audit errors need a second, explicit yes."""
    episodes = list(queryset)
    findings = audit.audit_episodes(queryset.model.objects.filter(pk__in=[episode.pk for episode in episodes]))
    errors = {slug: [f for f in found if f.severity == "error"] for slug, found in findings.items()}
    errors = {slug: found for slug, found in errors.items() if found}
    if errors and request.POST.get("confirm") != "yes":
        context = {"episodes": episodes, "errors": errors, "action_checkbox_name": "_selected_action"}
        return model_admin.render_page(request, "publish_confirm.html", context, "Publish episodes with problems?")
    count = editing.publish([episode.pk for episode in episodes])
    model_admin.message_user(request, f"Published {count} episode(s).", messages.SUCCESS)
    return None


def schedule(model_admin, request, pk):
    """Publish one episode now or at a chosen time."""
    episode = get_object_or_404(Episode, pk=pk)
    form = ScheduleForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if episode.status == Episode.Status.PUBLISHED:
            editing.unpublish([episode.pk])
        editing.publish([episode.pk], at=form.cleaned_data["published_at"])
        messages.success(request, "Publication saved.")
        return HttpResponseRedirect(_change_url(episode))
    return model_admin.render_page(request, "schedule.html", {"episode": episode, "form": form}, f"Publish: {episode}")
