"""Audit fixes: each rule's fix on real rows and the exported file, the admin's previews, the
bulk action, ``fix_episodes``, and the audit's precision on a fresh install."""

import difflib
from collections import Counter

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission, User
from django.core.management import CommandError, call_command
from django.urls import reverse

from podcasts.audit import audit_episodes
from podcasts.editorial import fixes
from podcasts.files.exporting import export_bytes
from podcasts.models import Episode, Guest, Revision, Show, TranscriptLine

from .factories import make_episode
from .helpers import run

pytestmark = pytest.mark.django_db

HEAD = "---\ntitle: Fixes\ndescription: d\nintro: i\ntranscript:\n"


def line(text, who=None, sec=None, time=None) -> str:
    item = f"- line: {text}\n"
    if sec is not None:
        item += f"  sec: {sec}\n"
    if time is not None:
        item += f"  time: '{time}'\n"
    if who is not None:
        item += f"  who: '{who}'\n" if ":" in who else f"  who: {who}\n"
    return item


def imported(write_file, *items: str, slug="fixes") -> Episode:
    path = write_file(f"{slug}.md", HEAD + "".join(items) + "---\n")
    assert run("import_episodes", path)[0] == 0
    return Episode.objects.get(slug=slug)


def exported(episode: Episode) -> bytes:
    return export_bytes(Episode.objects.for_export().get(pk=episode.pk))


def changed_lines(before: bytes, after: bytes) -> list[str]:
    diff = difflib.unified_diff(before.decode().splitlines(), after.decode().splitlines(), lineterm="", n=0)
    return [text for text in diff if text[:1] in "+-" and not text.startswith(("+++", "---"))]


def rows(episode: Episode) -> list[tuple]:
    return list(episode.transcript.order_by("position").values_list("position", "kind", "text", "speaker", "sec", "time"))


def fix_all(episode: Episode, rule: str, **options) -> list[fixes.Fix]:
    transcript = fixes.Transcript.load(episode)
    found = fixes.fixes_for(transcript.facts, rule)
    fixes.apply_fixes(transcript, found, **options)
    return found


CONVERSATION = [line(f"Guest answer {n}.", "Ruslan", 100 + n, f"1:{40 + n}") for n in range(10)]


# Each fix: the rows it changes, and only those lines of the file --------------------------


def test_speaker_punctuation_renames_every_line_and_only_who_lines_change(write_file):
    episode = imported(write_file, line("Hi.", "Alexey:", 61, "1:01"), *CONVERSATION[:2], line("Bye.", "Alexey:", 200, "3:20"))
    before = exported(episode)
    (fix,) = fix_all(episode, "speaker-punctuation", version=episode.version)
    assert fix.description == "rename 'Alexey:' to 'Alexey' (2 lines)"
    assert [row[3] for row in rows(episode)] == ["Alexey", "Ruslan", "Ruslan", "Alexey"]
    assert changed_lines(before, exported(episode)) == [
        "-  who: 'Alexey:'",
        "+  who: Alexey",
        "-  who: 'Alexey:'",
        "+  who: Alexey",
    ]
    episode.refresh_from_db()
    assert episode.revisions.first().note == "audit fix: speaker-punctuation"


def test_near_duplicate_merges_into_the_name_it_misspells(write_file):
    items = [line(f"Q{n}.", "Alexey", n, f"0:{n:02}") for n in range(8)] + [line("Q.", "Alexeylexey", 69, "1:09")]
    episode = imported(write_file, *items)
    before = exported(episode)
    (fix,) = fix_all(episode, "speaker-near-duplicate")
    assert fix.description == "rename 'Alexeylexey' to 'Alexey' (1 line)"
    assert {row[3] for row in rows(episode)} == {"Alexey"}
    assert changed_lines(before, exported(episode)) == ["-  who: Alexeylexey", "+  who: Alexey"]


def test_line_without_speaker_deletes_a_leftover_copy_and_renumbers(write_file):
    episode = imported(
        write_file, line("Hi.", "Alexey", 61, "1:01"), line("Same.", sec=65, time="1:05"), line("Same.", "Ruslan", 65, "1:05")
    )
    before = exported(episode)
    (fix,) = fix_all(episode, "line-without-speaker")
    assert fix.description == "delete 'Same.' (the next line repeats it)"
    assert rows(episode) == [(0, "line", "Hi.", "Alexey", 61, "1:01"), (1, "line", "Same.", "Ruslan", 65, "1:05")]
    assert changed_lines(before, exported(episode)) == ["-- line: Same.", "-  sec: 65", "-  time: '1:05'"]


def test_line_without_speaker_between_one_speakers_lines_gets_that_speaker(write_file):
    episode = imported(
        write_file, line("One.", "Ruslan", 61, "1:01"), line("Two.", sec=62, time="1:02"), line("Three.", "Ruslan", 63, "1:03")
    )
    before = exported(episode)
    (fix,) = fix_all(episode, "line-without-speaker")
    assert fix.description == "assign 'Ruslan', who speaks before and after"
    assert [row[3] for row in rows(episode)] == ["Ruslan"] * 3
    assert changed_lines(before, exported(episode)) == ["+  who: Ruslan"]


def test_line_without_speaker_between_two_speakers_has_no_fix():
    episode = make_episode(transcript=[{"line": "a", "who": "A"}, {"line": "b"}, {"line": "c", "who": "B"}])
    assert fixes.fixes_for(fixes.Transcript.load(episode).facts, "line-without-speaker") == []


def test_speaker_name_line_is_deleted(write_file):
    items = [
        line("Intro.", "Alexey", 61, "1:01"),
        line("Dashel", "Dashel", 65, "1:05"),
        line("I grew up in Cuba.", "Dashel", 65, "1:05"),
    ]
    episode = imported(write_file, *items)
    before = exported(episode)
    (fix,) = fix_all(episode, "speaker-name-line")
    assert fix.description == "delete 'Dashel' (a stray speaker name)"
    assert [row[:3] for row in rows(episode)] == [(0, "line", "Intro."), (1, "line", "I grew up in Cuba.")]
    assert changed_lines(before, exported(episode)) == ["-- line: Dashel", "-  sec: 65", "-  time: '1:05'", "-  who: Dashel"]


def test_time_sec_mismatch_makes_time_follow_sec(write_file):
    episode = imported(write_file, line("Hi.", "Alexey", 66, "1:05"), line("Later.", "Alexey", 3723, "1:02:04"))
    before = exported(episode)
    found = fix_all(episode, "time-sec-mismatch")
    assert [fix.description for fix in found] == ["set time to '1:06' (sec 66)", "set time to '1:02:03' (sec 3723)"]
    assert [row[5] for row in rows(episode)] == ["1:06", "1:02:03"]
    assert changed_lines(before, exported(episode)) == [
        "-  time: '1:05'",
        "+  time: '1:06'",
        "-  time: '1:02:04'",
        "+  time: '1:02:03'",
    ]


def test_time_backwards_suggests_a_time_between_its_neighbours(write_file):
    episode = imported(
        write_file, line("A.", "Alexey", 100, "1:40"), line("B.", "Alexey", 10, "0:10"), line("C.", "Alexey", 120, "2:00")
    )
    before = exported(episode)
    (fix,) = fix_all(episode, "time-backwards")
    assert fix.description == "move to 1:50 (sec 110)"
    assert rows(episode)[1] == (1, "line", "B.", "Alexey", 110, "1:50")
    assert changed_lines(before, exported(episode)) == ["-  sec: 10", "-  time: '0:10'", "+  sec: 110", "+  time: '1:50'"]


def test_consecutive_headers_keep_the_last(write_file):
    episode = imported(
        write_file, "- header: Episode Introduction\n", "- header: Guest Introduction\n", line("Hi.", "Alexey", 61, "1:01")
    )
    before = exported(episode)
    (fix,) = fix_all(episode, "consecutive-headers")
    assert fix.description == "keep only the last header, 'Guest Introduction'"
    assert [row[:3] for row in rows(episode)] == [(0, "header", "Guest Introduction"), (1, "line", "Hi.")]
    assert changed_lines(before, exported(episode)) == ["-- header: Episode Introduction"]


def test_deleting_many_rows_keeps_positions_dense(write_file):
    items = []
    for n in range(5):
        items += [line(f"Copy {n}.", sec=60 + n, time=f"1:0{n}"), line(f"Copy {n}.", "Alexey", 60 + n, f"1:0{n}")]
    episode = imported(write_file, *items)
    found = fix_all(episode, "line-without-speaker")
    assert len(found) == 5
    assert [(row[0], row[2]) for row in rows(episode)] == [(n, f"Copy {n}.") for n in range(5)]


# The admin: preview, apply, conflicts ------------------------------------------------------


def test_change_form_groups_findings_by_rule_with_fix_buttons(editor_client, write_file):
    episode = imported(write_file, line("Hi.", "Alexey:", 61, "1:01"), line("x", sec=62, time="1:02"), line("y", "B", 63, "1:03"))
    html = editor_client.get(reverse("admin:podcasts_episode_change", args=[episode.pk])).content.decode()
    groups = editor_client.get(reverse("admin:podcasts_episode_change", args=[episode.pk])).context["audit_groups"]
    assert [(group.rule.id, len(group.findings), group.fixable) for group in groups] == [
        ("speaker-punctuation", 1, 1),
        ("speaker-unlinked", 1, 0),  # 'B': a link, not a fix
        ("line-without-speaker", 1, 0),  # between two speakers: no determined fix
    ]
    fix_url = reverse("admin:podcasts_episode_fix", args=[episode.pk])
    assert f'href="{fix_url}?rule=speaker-punctuation&amp;position=0"' in html
    assert "Fix: rename &#x27;Alexey:&#x27; to &#x27;Alexey&#x27; (1 line)…" in html
    assert "Fix all 1 of this kind…" in html


def test_fix_page_previews_rows_then_applies_at_the_version_shown(editor_client, write_file):
    episode = imported(write_file, line("Hi.", "Alexey:", 61, "1:01"), line("Bye.", "Alexey:", 62, "1:02"))
    url = reverse("admin:podcasts_episode_fix", args=[episode.pk])
    preview = editor_client.get(url, {"rule": "speaker-punctuation", "position": 0})
    assert [(change.position, change.after.speaker) for change in preview.context["changes"]] == [(0, "Alexey"), (1, "Alexey")]
    assert rows(episode)[0][3] == "Alexey:"  # a preview changes nothing
    stale = editor_client.post(url, {"rule": "speaker-punctuation", "position": 0, "version": episode.version - 1}, follow=True)
    assert "saved by someone else" in stale.content.decode()
    assert rows(episode)[0][3] == "Alexey:"
    done = editor_client.post(url, {"rule": "speaker-punctuation", "position": 0, "version": episode.version}, follow=True)
    assert "Fixed 1 finding(s): 2 row(s) changed." in done.content.decode()
    assert [row[3] for row in rows(episode)] == ["Alexey", "Alexey"]
    assert LogEntry.objects.get().change_message == "audit fix: speaker-punctuation"


def test_time_backwards_applies_the_time_the_editor_chose(editor_client, write_file):
    episode = imported(
        write_file, line("A.", "Alexey", 100, "1:40"), line("B.", "Alexey", 10, "0:10"), line("C.", "Alexey", 120, "2:00")
    )
    url = reverse("admin:podcasts_episode_fix", args=[episode.pk])
    preview = editor_client.get(url, {"rule": "time-backwards", "position": 1})
    assert preview.context["form"]["sec"].initial == 110
    editor_client.post(url, {"rule": "time-backwards", "position": 1, "version": episode.version, "sec": 104})
    assert rows(episode)[1][4:] == (104, "1:44")


def test_fix_page_refuses_garbage_without_a_change(editor_client, write_file):
    episode = imported(write_file, line("Hi.", "Alexey:", 61, "1:01"))
    url = reverse("admin:podcasts_episode_fix", args=[episode.pk])
    for data in (
        {"rule": "nope"},
        {"rule": "speaker-punctuation", "position": "x", "version": 1},
        {"rule": "speaker-punctuation"},
    ):
        response = editor_client.post(url, data, follow=True)
        assert "Nothing was fixed" in response.content.decode()
    assert rows(episode)[0][3] == "Alexey:"


def test_fixing_needs_the_change_permission(client, write_file):
    episode = imported(write_file, line("Hi.", "Alexey:", 61, "1:01"))
    url = reverse("admin:podcasts_episode_fix", args=[episode.pk])
    assert "/admin/login/" in client.get(url, {"rule": "speaker-punctuation"})["Location"]
    viewer = User.objects.create_user("viewer", password="pw", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_episode"))
    client.force_login(viewer)
    assert client.get(url, {"rule": "speaker-punctuation"}).status_code == 403
    assert client.post(url, {"rule": "speaker-punctuation", "version": episode.version}).status_code == 403
    assert "fix_selected" not in client.get(reverse("admin:podcasts_episode_changelist")).content.decode()
    assert rows(episode)[0][3] == "Alexey:"


def test_bulk_fix_previews_each_episode_then_applies_one_revision_each(editor_client, write_file):
    first = imported(write_file, line("Hi.", "Alexey:", 61, "1:01"), slug="first")
    second = imported(write_file, line("Yo.", "Ruslan.", 61, "1:01"), line("More.", "Ruslan.", 62, "1:02"), slug="second")
    clean = imported(write_file, line("Fine.", "Alexey", 61, "1:01"), slug="clean")
    changelist = reverse("admin:podcasts_episode_changelist")
    filtered = editor_client.get(changelist, {"rule": "speaker-punctuation"})
    assert {episode.slug for episode in filtered.context["cl"].result_list} == {"first", "second"}
    selection = {"action": "fix_selected", "_selected_action": [first.pk, second.pk, clean.pk]}
    chooser = editor_client.post(changelist, selection)
    assert chooser.context["previews"] is None and "fix_rule" in chooser.context["form"].fields
    preview = editor_client.post(changelist + "?rule=speaker-punctuation", selection)
    previews = {episode.slug: [change.after.speaker for change in changes] for episode, _, changes in preview.context["previews"]}
    assert previews == {"first": ["Alexey"], "second": ["Ruslan", "Ruslan"]}
    assert Revision.objects.filter(reason=Revision.Reason.EDIT).count() == 0
    editor_client.post(changelist, {**selection, "fix_rule": "speaker-punctuation", "apply": "on"})
    assert TranscriptLine.objects.filter(speaker__in=["Alexey:", "Ruslan."]).count() == 0
    edits = Counter(Revision.objects.filter(reason=Revision.Reason.EDIT).values_list("episode__slug", flat=True))
    assert edits == {"first": 1, "second": 1}


# fix_episodes ------------------------------------------------------------------------------


def test_fix_episodes_applies_safe_fixes_only_and_dry_run_writes_nothing(write_file):
    episode = imported(
        write_file,
        "- header: One\n",
        "- header: Two\n",
        line("Hi.", "Alexey:", 61, "1:01"),
        line("Hi.", sec=62, time="1:02"),
        line("Hi.", "Alexey:", 62, "1:02"),
    )
    before = rows(episode)
    code, out, _ = run("fix_episodes", "--dry-run")
    assert code == 0 and rows(episode) == before
    assert out.splitlines()[-1] == "would fix 2 findings (3 rows) in 1 episodes"
    code, out, _ = run("fix_episodes")
    assert out.splitlines() == [
        "fixes:2: speaker-punctuation: rename 'Alexey:' to 'Alexey' (2 lines)",
        "fixes:3: line-without-speaker: delete 'Hi.' (the next line repeats it)",
        "fixed 2 findings (3 rows) in 1 episodes",
    ]
    assert [row[:4] for row in rows(episode)] == [
        (0, "header", "One", None),  # consecutive headers are an editor's choice, not a safe fix
        (1, "header", "Two", None),
        (2, "line", "Hi.", "Alexey"),
        (3, "line", "Hi.", "Alexey"),
    ]
    assert episode.revisions.filter(reason=Revision.Reason.EDIT).count() == 1
    assert run("fix_episodes")[1].splitlines() == ["fixed 0 findings (0 rows) in 0 episodes"]


def test_fix_episodes_runs_the_rules_named_on_the_episodes_named(write_file):
    episode = imported(write_file, "- header: One\n", "- header: Two\n", line("Hi.", "Alexey:", 61, "1:01"))
    imported(write_file, "- header: One\n", "- header: Two\n", line("Hi.", "Alexey", 61, "1:01"), slug="other")
    code, out, _ = run("fix_episodes", "fixes", "--rule", "consecutive-headers")
    assert out.splitlines() == [
        "fixes:0: consecutive-headers: keep only the last header, 'Two'",
        "fixed 1 findings (1 rows) in 1 episodes",
    ]
    assert [row[2:4] for row in rows(episode)] == [("Two", None), ("Hi.", "Alexey:")]
    with pytest.raises(CommandError, match="no such episode: nope"):
        call_command("fix_episodes", "fixes", "nope")


# Precision on a fresh install --------------------------------------------------------------


PERSON = "---\nshort: {short}\ntitle: {name}\n---\n"


def test_the_people_import_adopts_the_host_named_by_the_show(write_file):
    folder = write_file("people/ada.md", PERSON.format(short="ada", name="Ada Lovelace")).parent
    write_file("people/alexeygrigorev.md", PERSON.format(short="alexeygrigorev", name="Alexey Grigorev"))
    assert run("import_guests", folder)[0] == 0
    assert Show.current().host.short == "alexeygrigorev"
    episode = make_episode(transcript=[{"line": "Hi.", "who": "Alexey"}], description="d", intro="i")
    assert audit_episodes(Episode.objects.filter(pk=episode.pk))[episode.slug] == []


def test_two_people_with_the_host_name_leave_the_host_unset(write_file):
    folder = write_file("people/alexeya.md", PERSON.format(short="alexeya", name="Alexey A")).parent
    write_file("people/alexeyb.md", PERSON.format(short="alexeyb", name="Alexey B"))
    run("import_guests", folder)
    assert Show.current().host is None


def test_a_guest_spelled_without_accents_or_dotless_i_is_linked(write_file):
    Guest.objects.create(short="misraturp", name="Mısra Turp")
    Guest.objects.create(short="dania", name="Dânia Meira")
    episode = make_episode(
        guests=["misraturp", "dania"],
        description="d",
        intro="i",
        transcript=[{"line": "Hi.", "who": "Misra"}, {"line": "Oi.", "who": "Dania"}, {"line": "Hey.", "who": "Nobody"}],
    )
    found = audit_episodes(Episode.objects.filter(pk=episode.pk))[episode.slug]
    assert [(f.rule, f.message) for f in found] == [("speaker-unlinked", "speaker 'Nobody' (1 line) is linked to no person")]


def test_speaker_name_line_needs_the_next_speakers_name_at_the_same_moment():
    episode = make_episode(
        description="d",
        intro="i",
        transcript=[
            {"line": "Dashel", "who": "Dashel", "sec": 5},
            {"line": "I grew up in Cuba.", "who": "Dashel", "sec": 5},
            {"line": "Alexey…", "who": "Rosona", "sec": 7},  # said a second before Alexey speaks: speech
            {"line": "That's the best part.", "who": "Alexey", "sec": 8},
            {"line": "Bartosz", "who": "Alexey", "sec": 9},  # not the next line's speaker
            {"line": "Yes.", "who": "Alexey", "sec": 9},
        ],
    )
    found = audit_episodes(Episode.objects.filter(pk=episode.pk))[episode.slug]
    assert [(f.rule, f.position) for f in found if f.rule == "speaker-name-line"] == [("speaker-name-line", 0)]


def test_corpus_has_no_speaker_finding_on_a_main_speakers_line_but_real_mistakes(corpus_dir):
    """A main speaker is one of the two busiest of an episode, with 20+ lines. What the audit
    still says about one is a real mistake: a stray colon or name line (fixed by a button) or a speaker who
    names no person of the episode (Swyx, Chris for Krzysztof, Elena for Eleni, Johanna and
    Daniel, who are not among the episode's guests)."""
    assert run("import_guests", corpus_dir / "people")[0] == 0
    assert run("import_episodes", corpus_dir / "episodes")[0] == 0
    lines = TranscriptLine.objects.filter(kind="line").values_list("episode__slug", "position", "speaker")
    speakers = {(slug, position): speaker for slug, position, speaker in lines}
    counts = {}
    for (slug, _), speaker in speakers.items():
        counts.setdefault(slug, Counter())[speaker] += 1
    main = {slug: {who for who, n in count.most_common(2) if who and n >= 20} for slug, count in counts.items()}
    on_main = {
        (finding.rule, speakers[slug, finding.position])
        for slug, found in audit_episodes(Episode.objects.all()).items()
        for finding in found
        if finding.rule.startswith("speaker") and speakers.get((slug, finding.position)) in main[slug]
    }
    real = {("speaker-punctuation", "Alexey:"), ("speaker-punctuation", "Theo:")}
    real |= {("speaker-name-line", "Alexey"), ("speaker-name-line", "Dashel")}  # a stray name left as a line
    unlinked = {("speaker-unlinked", name) for name in ("Swyx", "Chris", "Elena", "Johanna", "Daniel")}
    assert real <= on_main <= real | unlinked
    run("fix_episodes")
    after = audit_episodes(Episode.objects.all())
    assert not any(f.rule in ("speaker-punctuation", "speaker-name-line") for found in after.values() for f in found)
