"""A range-diff is read as git range-diff writes it: changed, new and dropped patches.

A range-diff in a cover letter (``git format-patch --range-diff``), a lone patch's notes or a reply is read as git
range-diff writes it: a note says which patches it shows changed, new and dropped, and where the input holds both
revisions, a patch it shows the same whose diff differs there (git patch-id): it was made of other commits."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from harness.ingest import IngestRequest, parse_series
from tests.gitoracle import git, init_repo
from tests.mailgen import message, write_mbox

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")  # the oracle
LINES = [f"int f{i}(void) {{ return {i}; }}\n" for i in range(20)]


def _commit(repo: Path, name: str, title: str, at: int, value: str) -> None:
    text = list(LINES)
    text[at] = f"int f{at}(void) {{ return {value}; }}\n"
    (repo / name).write_text("".join(text))
    git(repo, "commit", "-q", "-a", "-m", f"{title}\n\nWhy.\n\nSigned-off-by: Ann Author <ann@example.org>")


def _two_revisions(tmp: Path) -> Path:
    """v1: a, b, c; v2: a as it was, b changed, c dropped, d new; v2's cover letter with its range-diff."""
    repo = init_repo(tmp / "src", {f"{n}.c": "".join(LINES) for n in "abcd"})
    git(repo, "tag", "base")
    for n, at in (("a", 1), ("b", 5), ("c", 9)):
        _commit(repo, f"{n}.c", f"demo: change {n}", at, "100")
    git(repo, "tag", "v1")
    git(repo, "format-patch", "-q", "--thread", "--cover-letter", "-o", str(tmp / "v1"), "base..v1")
    for p in (tmp / "v1").iterdir():  # format-patch names each mail by its commit and the second: v2's are alike
        p.write_text(p.read_text().replace(".git.oracle@", ".v1.git.oracle@"))
    git(repo, "reset", "-q", "--hard", "v1~2")
    _commit(repo, "b.c", "demo: change b", 5, "200")
    _commit(repo, "d.c", "demo: change d", 14, "100")
    git(repo, "format-patch", "-q", "--thread", "--cover-letter", "-v2", "--range-diff=base..v1", "-o", str(tmp / "v2"),
        "base..HEAD")
    return repo


def test_a_cover_letters_range_diff_says_what_changed(tmp_path: Path) -> None:
    repo = _two_revisions(tmp_path)
    shown = git(repo, "range-diff", "--no-color", "base..v1", "base..HEAD").stdout.decode()
    assert [line.split()[2] for line in shown.splitlines() if line[:1] in "123-"] == ["=", "!", "<", ">"]
    series = parse_series(IngestRequest((tmp_path / "v1", tmp_path / "v2")))
    (note,) = [n for n in series.notes if "range-diff" in n.reason]
    cover = (tmp_path / "v2" / "v2-0000-cover-letter.patch").read_text().splitlines()
    assert cover[note.where.line - 1].startswith("1:  ")  # its first line
    assert note.reason.startswith("range-diff in the cover letter of v2 <")
    assert note.reason.endswith("read as git range-diff writes it: changed: v2 2 'demo: change b' (was v1 2); "
                                "new: v2 3 'demo: change d'; dropped: v1 3 'demo: change c'; 1 the same")


def test_a_range_diff_of_other_commits_than_were_sent_is_said(tmp_path: Path) -> None:
    """The author amended patch 1 after the cover letter was written: its range-diff says '=', the diffs differ."""
    repo = _two_revisions(tmp_path)
    later = git(repo, "rev-list", "--reverse", "base..HEAD").stdout.decode().split()[1:]
    git(repo, "reset", "-q", "--hard", "base")
    _commit(repo, "a.c", "demo: change a", 1, "101")
    git(repo, "cherry-pick", *later)
    cover = tmp_path / "v2" / "v2-0000-cover-letter.patch"
    msgid = cover.read_text().split("Message-Id: <", 1)[1].split(">", 1)[0]
    for p in (tmp_path / "v2").glob("v2-000[1-9]-*.patch"):
        p.unlink()
    git(repo, "format-patch", "-q", "--thread", f"--in-reply-to={msgid}", "-v2", "-o", str(tmp_path / "v2"),
        "base..HEAD")
    shown = git(repo, "range-diff", "--no-color", "base..v1", "base..HEAD").stdout.decode()
    assert shown.startswith("1:  ") and shown.split()[2] != "="  # as sent, patch 1 is not v1's
    series = parse_series(IngestRequest((tmp_path / "v1", tmp_path / "v2")))
    (note,) = [n for n in series.notes if "range-diff" in n.reason]
    assert note.reason.endswith("1 the same; but the input's v2 1 differs from v1's by their diffs (git patch-id): "
                                "the range-diff is of other commits than were sent")


def test_a_quoted_range_diff_is_the_quoted_mails(tmp_path: Path) -> None:
    """A guard: a reply quoting the cover letter's range-diff adds no note of its own."""
    _two_revisions(tmp_path)
    cover = (tmp_path / "v2" / "v2-0000-cover-letter.patch").read_text()
    msgid = cover.split("Message-Id: <", 1)[1].split(">", 1)[0]
    quoted = "".join(f"> {line}\n" for line in cover.split("\n\n", 1)[1].splitlines())
    reply = message("Re: [PATCH v2 0/3] demo", "r1@example.net", f"Ann wrote:\n{quoted}\nLooks fine.\n",
                    sender="Rita Reviewer <rita@example.net>", parent=msgid, refs=(msgid,))
    series = parse_series(IngestRequest((tmp_path / "v1", tmp_path / "v2", write_mbox(tmp_path / "r.mbox", [reply]))))
    assert len([n for n in series.notes if "range-diff" in n.reason]) == 1


def test_a_lone_patchs_range_diff_below_its_rule_is_read(tmp_path: Path) -> None:
    """format-patch -v2 --range-diff of one patch writes it in the notes below '---', above the diffstat."""
    repo = _two_revisions(tmp_path)
    git(repo, "format-patch", "-q", "-v2", "--range-diff=v1~2..v1~1", "-o", str(tmp_path / "one"), "HEAD~2..HEAD~1")
    series = parse_series(IngestRequest((tmp_path / "one",)))
    (note,) = [n for n in series.notes if "range-diff" in n.reason]
    assert note.reason.endswith("range-diff in v2 patch 1, read as git range-diff writes it: changed: v2 1 "
                                "'demo: change b' (was v1 1)")


def test_a_replys_range_diff_names_no_revision_it_does_not_say(tmp_path: Path) -> None:
    """A reply's range-diff (here a maintainer's: what was applied against what was sent) names its sides so."""
    repo = _two_revisions(tmp_path)
    shown = git(repo, "range-diff", "--no-color", "base..v1", "base..HEAD").stdout.decode()
    cover = (tmp_path / "v2" / "v2-0000-cover-letter.patch").read_text()
    msgid = cover.split("Message-Id: <", 1)[1].split(">", 1)[0]
    reply = message("Re: [PATCH v2 0/3] demo", "r1@example.net", f"Applied, with this change:\n\n{shown}\nThanks.\n",
                    sender="Mae Maintainer <mae@example.net>", parent=msgid, refs=(msgid,))
    series = parse_series(IngestRequest((tmp_path / "v2", write_mbox(tmp_path / "r.mbox", [reply]))))
    said = [n.reason for n in series.notes if n.reason.startswith("range-diff in the reply")]
    assert said == ["range-diff in the reply of Mae Maintainer <r1@example.net>, read as git range-diff writes it: "
                    "changed: right side 2 'demo: change b' (was left side 2); new: right side 3 'demo: change d'; "
                    "dropped: left side 3 'demo: change c'; 1 the same"]


def _reposted(tmp: Path, value: str, why: str) -> Path:
    """v1: a, b; v2: a as it was, b made again with ``value`` and commit message ``why``; v2's cover letter with its
    range-diff against v1, both revisions as format-patch writes them."""
    repo = init_repo(tmp / "src", {f"{n}.c": "".join(LINES) for n in "ab"})
    git(repo, "tag", "base")
    _commit(repo, "a.c", "demo: change a", 1, "100")
    _commit(repo, "b.c", "demo: change b", 5, "100")
    git(repo, "tag", "v1")
    git(repo, "format-patch", "-q", "--thread", "--cover-letter", "-o", str(tmp / "v1"), "base..v1")
    for p in (tmp / "v1").iterdir():
        p.write_text(p.read_text().replace(".git.oracle@", ".v1.git.oracle@"))
    git(repo, "reset", "-q", "--hard", "v1~1")
    _commit(repo, "b.c", "demo: change b", 5, value)
    sign = "Signed-off-by: Ann Author <ann@example.org>"
    git(repo, "commit", "-q", "--amend", "-m", f"demo: change b\n\n{why}\n\n{sign}")
    git(repo, "format-patch", "-q", "--thread", "--cover-letter", "-v2", "--range-diff=base..v1", "-o", str(tmp / "v2"),
        "base..HEAD")
    return repo


def _changed_note(tmp: Path, repo: Path) -> str:
    shown = git(repo, "range-diff", "--no-color", "base..v1", "base..HEAD").stdout.decode()
    assert [line.split()[2] for line in shown.splitlines() if line[:1] in "12"] == ["=", "!"]  # the oracle's marks
    series = parse_series(IngestRequest((tmp / "v1", tmp / "v2")))
    (note,) = [n.reason for n in series.notes if "range-diff" in n.reason]
    return note.split("changed: ", 1)[1]


def test_a_changed_pair_of_one_patch_id_whose_message_changed_says_so(tmp_path: Path) -> None:
    """A '!' pair whose diffs are one change (git patch-id): what changed is the commit message."""
    repo = _reposted(tmp_path, "100", "Why, said better.")
    assert _changed_note(tmp_path, repo) == ("v2 2 'demo: change b' (was v1 2; its diff is v1 2's by git patch-id, its "
                                             "commit message or author changed); 1 the same")


def test_a_changed_pair_of_one_patch_id_that_changed_white_space_says_so(tmp_path: Path) -> None:
    repo = _reposted(tmp_path, "100 ", "Why.")
    assert _changed_note(tmp_path, repo) == ("v2 2 'demo: change b' (was v1 2; its diff is v1 2's by git patch-id, "
                                             "only white space in it changed); 1 the same")


def test_a_changed_pair_the_input_holds_alike_is_of_other_commits(tmp_path: Path) -> None:
    """The cover letter's range-diff says '!' for patch 2, but the author reset it to v1's before sending it."""
    repo = _reposted(tmp_path, "200", "Why.")
    cover = tmp_path / "v2" / "v2-0000-cover-letter.patch"
    msgid = cover.read_text().split("Message-Id: <", 1)[1].split(">", 1)[0]
    for p in (tmp_path / "v2").glob("v2-000[1-9]-*.patch"):
        p.unlink()
    git(repo, "format-patch", "-q", "--thread", f"--in-reply-to={msgid}", "-v2", "-o", str(tmp_path / "v2"), "base..v1")
    assert git(repo, "range-diff", "--no-color", "base..v1", "base..v1").stdout.decode().split()[2] == "="  # as sent
    series = parse_series(IngestRequest((tmp_path / "v1", tmp_path / "v2")))
    (note,) = [n.reason for n in series.notes if "range-diff" in n.reason]
    assert note.split("changed: ", 1)[1] == (
        "v2 2 'demo: change b' (was v1 2; its diff is v1 2's by git patch-id, and its commit message and author are "
        "the same: the range-diff is of other commits than were sent); 1 the same")


def test_a_colored_range_diff_is_read_as_its_plain_text(tmp_path: Path) -> None:
    """`git range-diff --color=always` pasted into a cover letter, escape codes and all, says what --no-color does."""
    repo = _two_revisions(tmp_path)
    plain = git(repo, "range-diff", "--no-color", "base..v1", "base..HEAD").stdout.decode()
    colored = git(repo, "range-diff", "--color=always", "base..v1", "base..HEAD").stdout.decode()
    assert "\x1b[" in colored.split("\n", 1)[0] and colored != plain
    notes = []
    for shown in (plain, colored):
        cover = message("[PATCH v2 0/3] demo", "c2@example.org", f"Changes.\n\nRange-diff against v1:\n{shown}\n")
        series = parse_series(IngestRequest((write_mbox(tmp_path / "c.mbox", [cover]),)))
        notes += [n.reason for n in series.notes if "range-diff" in n.reason]
    assert len(notes) == 2 and notes[0] == notes[1]
    assert notes[0].endswith("changed: v2 2 'demo: change b' (was v1 2); new: v2 3 'demo: change d'; dropped: v1 3 "
                             "'demo: change c'; 1 the same")


def _wrap(text: str, width: int) -> str:
    """Each line longer than ``width`` broken at its last space within it, as a mailer that is not format=flowed
    sends it (Gmail's web client at 78, Thunderbird at 72)."""
    out = []
    for line in text.split("\n"):
        while len(line) > width and (cut := line.rfind(" ", 1, width + 1)) > 0 and line[:cut].strip():
            out.append(line[:cut])
            line = line[cut + 1 :]
        out.append(line)
    return "\n".join(out)


@pytest.mark.parametrize("width", [60, 66, 72, 78])
def test_a_range_diff_a_mailer_wrapped_is_read_whole(tmp_path: Path, width: int) -> None:
    """Long titles broken onto a line of their own, and long inner diff lines too: every pair is still read, each
    title whole, as the unwrapped range-diff says; at 66 or 60 columns too (the rest of a line was read as the end
    of the range-diff below 70: its later pairs lost)."""
    long = "demo: make the retry loop of the helper give up sooner when the firmware says busy"
    repo = init_repo(tmp_path / "src", {f"{n}.c": "".join(LINES) for n in "ab"})
    git(repo, "tag", "base")
    for n, at in (("a", 1), ("b", 5)):
        _commit(repo, f"{n}.c", f"{long} ({n})", at, "100")
    git(repo, "tag", "v1")
    git(repo, "reset", "-q", "--hard", "base")
    for n, at in (("a", 1), ("b", 5)):
        _commit(repo, f"{n}.c", f"{long} ({n})", at, "200")
    shown = git(repo, "range-diff", "--no-color", "base..v1", "base..HEAD").stdout.decode()
    wrapped = _wrap(shown, width)
    assert wrapped.count("\n") > shown.count("\n") + 2 and max(map(len, wrapped.split("\n"))) <= width
    notes = []
    for text in (shown, wrapped):
        body = f"Changes.\n\nRange-diff against v1:\n{text}\n-- \n2.x\n"
        cover = message("[PATCH v2 0/2] demo", "c2@example.org", body)
        series = parse_series(IngestRequest((write_mbox(tmp_path / "c.mbox", [cover]),)))
        notes += [n.reason for n in series.notes if "range-diff" in n.reason]
    assert len(notes) == 2 and notes[0] == notes[1]
    assert f"v2 1 '{long} (a)' (was v1 1)" in notes[0] and f"v2 2 '{long} (b)' (was v1 2)" in notes[0]


def test_a_range_diff_apple_mail_sent_is_read_whole(tmp_path: Path) -> None:
    """A cover letter sent quoted-printable, format=flowed with DelSp=yes (Apple Mail): git mailinfo gives a long
    inner line back with one leading space fewer (checked: 3, not 4), which ended the range-diff there, the pairs
    after it lost. Every pair is read, as from the same letter sent plain."""
    from tests.gitoracle import mailinfo
    from tests.mailgen import Shape, shaped_mail

    long = "demo: make the retry loop of the helper give up sooner when the firmware says busy"
    inner = "    -    old words of the commit message that are long enough to wrap here"
    shown = (f"1:  1111111 = 1:  2222222 {long} (a)\n2:  3333333 ! 2:  4444444 {long} (b)\n    @@ Metadata\n"
             f"{inner}\n3:  5555555 < -:  ------- {long} (c)\n-:  ------- > 3:  6666666 {long} (d)\n")
    log = f"Changes.\n\nRange-diff against v1:\n{shown}\n-- \n2.x\n".encode()
    notes = []
    for name, shape in (("plain", Shape()), ("apple", Shape(flowed=True, delsp=True, cte="quoted-printable"))):
        data = shaped_mail("Ann Author <ann@example.org>", "[PATCH v2 0/3] demo", "c2@example.org", log, b"", shape)
        if name == "apple":
            assert f"\n{inner[1:]}\n" in mailinfo(tmp_path, data).message  # git's reading: a space lost
        (tmp_path / f"{name}.eml").write_bytes(data)
        series = parse_series(IngestRequest((tmp_path / f"{name}.eml",)))
        notes += [n.reason for n in series.notes if "range-diff" in n.reason]
    assert len(notes) == 2 and notes[0] == notes[1] and f"dropped: v1 3 '{long} (c)'" in notes[0]


@pytest.mark.parametrize("after", ["Thanks,\nAnn\n-- \n2.x\n", "Ann\n", "See you.\n\n-- \n2.x\n"])
def test_prose_right_below_the_longest_pair_is_no_title(tmp_path: Path, after: str) -> None:
    """Prose with no blank line after the range-diff, whose last pair's line ('-:  ------- > 3:  ...') is the mail's
    longest, its other pairs' as long: the width was guessed from those lines alone, so the prose's first line was
    read as that title's rest ('demo: change d Thanks,'). Read as from the range-diff with a blank line after it."""
    repo = _two_revisions(tmp_path)
    shown = git(repo, "range-diff", "--no-color", "base..v1", "base..HEAD").stdout.decode()
    last = shown.rstrip("\n").split("\n")[-1]
    assert last.startswith("-:  ") and len(last) == max(map(len, shown.split("\n")))
    notes = []
    for tail in ("\n-- \n2.x\n", after):
        cover = message("[PATCH v2 0/3] demo", "c2@example.org", f"Changes.\n\nRange-diff against v1:\n{shown}{tail}")
        series = parse_series(IngestRequest((write_mbox(tmp_path / "c.mbox", [cover]),)))
        notes += [n.reason for n in series.notes if "range-diff" in n.reason]
    assert len(notes) == 2 and notes[0] == notes[1] and "new: v2 3 'demo: change d';" in notes[0]


def test_the_last_title_wrapped_alone_is_read_whole_where_the_prose_shows_the_width(tmp_path: Path) -> None:
    """The last pair's title the only line of the range-diff a mailer broke (at 50 columns), its prose wrapped too: a
    line other than a pair's as long shows the width, so the line after it is still that title's rest."""
    long = "demo: give up sooner when busy"
    repo = init_repo(tmp_path / "src", {"a.c": "".join(LINES)})
    git(repo, "tag", "base")
    _commit(repo, "a.c", "demo: a", 1, "100")
    git(repo, "tag", "v1")
    _commit(repo, "a.c", long, 5, "100")
    shown = git(repo, "range-diff", "--no-color", "base..v1", "base..HEAD").stdout.decode()
    prose = "This version adds one patch to give up sooner, as asked in the review of the first version."
    body = f"{prose}\n\nRange-diff against v1:\n{shown}\n-- \n2.x\n"
    wrapped = _wrap(body, 50)
    assert wrapped.count("\n") == body.count("\n") + 2 and wrapped.split("\n")[-5] == "when busy"
    notes = []
    for text in (body, wrapped):
        cover = message("[PATCH v2 0/2] demo", "c2@example.org", text)
        series = parse_series(IngestRequest((write_mbox(tmp_path / "c.mbox", [cover]),)))
        notes += [n.reason for n in series.notes if "range-diff" in n.reason]
    assert len(notes) == 2 and notes[0] == notes[1] and f"new: v2 2 '{long}'" in notes[0]


def test_prose_right_below_a_pair_longer_than_70_columns_is_no_title(tmp_path: Path) -> None:
    """The same past 70 columns: a new patch's pair line of 85, the mail's longest, with "Thanks," right below it was
    read as wrapped at 70 ('... when busy Thanks,'): no line shows the mail was broken there."""
    long = "demo: make the retry loop of the helper give up sooner when busy"
    repo = init_repo(tmp_path / "src", {"a.c": "".join(LINES)})
    git(repo, "tag", "base")
    _commit(repo, "a.c", "demo: a", 1, "100")
    git(repo, "tag", "v1")
    _commit(repo, "a.c", long, 5, "100")
    shown = git(repo, "range-diff", "--no-color", "base..v1", "base..HEAD").stdout.decode()
    assert len(shown.rstrip("\n").split("\n")[-1]) > 80
    notes = []
    for tail in ("\n-- \n2.x\n", "Thanks,\nAnn\n"):
        cover = message("[PATCH v2 0/2] demo", "c2@example.org", f"Changes.\n\nRange-diff against v1:\n{shown}{tail}")
        series = parse_series(IngestRequest((write_mbox(tmp_path / "c.mbox", [cover]),)))
        notes += [n.reason for n in series.notes if "range-diff" in n.reason]
    assert len(notes) == 2 and notes[0] == notes[1] and f"new: v2 2 '{long}'" in notes[0]


@pytest.mark.parametrize("width", [60, 66, 72, 78])
def test_the_last_title_wrapped_alone_beside_wrapped_prose_is_read_whole(tmp_path: Path, width: int) -> None:
    """A new patch's long title the one line of the range-diff a mailer broke, its prose wrapped at the same width,
    every prose line shorter than the title's first part (at 60): the prose shows lines broken at a width that broke
    the title too, so the line below it is still the title's rest."""
    long = "demo: make the retry loop of the helper give up sooner when busy"
    repo = init_repo(tmp_path / "src", {"a.c": "".join(LINES)})
    git(repo, "tag", "base")
    _commit(repo, "a.c", "demo: a", 1, "100")
    git(repo, "tag", "v1")
    _commit(repo, "a.c", long, 5, "100")
    shown = git(repo, "range-diff", "--no-color", "base..v1", "base..HEAD").stdout.decode()
    prose = ("This version adds one patch to make the helper give up sooner, as asked in the review of the first "
             "version, and nothing else changed since then.")
    body = f"{prose}\n\nRange-diff against v1:\n{shown}\n-- \n2.x\n"
    wrapped = _wrap(body, width)
    assert max(map(len, wrapped.split("\n"))) <= width and f"\n{long}" not in wrapped
    notes = []
    for text in (body, wrapped):
        cover = message("[PATCH v2 0/2] demo", "c2@example.org", text)
        series = parse_series(IngestRequest((write_mbox(tmp_path / "c.mbox", [cover]),)))
        notes += [n.reason for n in series.notes if "range-diff" in n.reason]
    assert len(notes) == 2 and notes[0] == notes[1] and f"new: v2 2 '{long}'" in notes[0]



@pytest.mark.parametrize(("after", "read"), [("Thanks,\nAnn\n", False), ("when busy\n", True)])
def test_prose_below_the_last_pair_of_a_wrapped_mail_goes_by_the_inputs_title(tmp_path: Path, after: str,
                                                                                 read: bool) -> None:
    """A mail wrapped at 66 columns (its prose shows the width), the last pair's line near it, a line right below it
    that would not have fitted: the text alone cannot tell prose from the title's rest ('... Thanks,'). The input holds
    the patches of the side whose title range-diff shows (range-diff.c output_pair_header: the left one's where there
    is one): the title they have decides."""
    title = "demo: make the helper give up sooner" + (" when busy" if read else "")
    repo = init_repo(tmp_path / "src", {"a.c": "".join(LINES)})
    git(repo, "tag", "base")
    _commit(repo, "a.c", "demo: a", 1, "100")
    git(repo, "tag", "v1")
    _commit(repo, "a.c", title, 5, "100")
    git(repo, "format-patch", "-q", "--thread", "--cover-letter", "-v2", "--range-diff=base..v1", "-o",
        str(tmp_path / "v2"), "base..HEAD")
    shown = git(repo, "range-diff", "--no-color", "base..v1", "base..HEAD").stdout.decode()
    wrapped = _wrap(shown, 66)  # the title's rest on a line of its own where it would not fit
    assert wrapped.endswith(after) if read else wrapped == shown
    assert len(wrapped.removesuffix(after).rstrip("\n").split("\n")[-1]) + len(" Thanks,") > 66
    prose = "This version adds one patch to make the helper give up, as asked in the first version's review."
    cover = tmp_path / "v2" / "v2-0000-cover-letter.patch"
    head, _ = cover.read_text().split("\n\n", 1)
    cover.write_text(f"{head}\n\n{_wrap(prose, 66)}\n\nRange-diff against v1:\n{wrapped.removesuffix(after)}{after}"
                     "-- \n2.x\n")
    series = parse_series(IngestRequest((tmp_path / "v2",)))
    (note,) = [n.reason for n in series.notes if "range-diff" in n.reason]
    assert note.endswith(f"new: v2 2 '{title}'; 1 the same")


def test_a_changed_pairs_title_is_the_left_sides_where_the_line_below_is_told(tmp_path: Path) -> None:
    """A '!' pair whose patch was retitled in v2 (`git range-diff --no-patch` pasted): range-diff shows v1's title
    (range-diff.c output_pair_header takes the left commit's where there is one), so v1's patch in the input tells the
    prose below it from its title's rest, where v2's title would tell nothing ('... sooner Thanks,' was read)."""
    title = "demo: make the helper give up sooner"
    repo = init_repo(tmp_path / "src", {"a.c": "".join(LINES)})
    git(repo, "tag", "base")
    _commit(repo, "a.c", "demo: a", 1, "100")
    _commit(repo, "a.c", title, 5, "100")
    git(repo, "tag", "v1")
    git(repo, "format-patch", "-q", "--thread", "--cover-letter", "-o", str(tmp_path / "v1"), "base..v1")
    for p in (tmp_path / "v1").iterdir():
        p.write_text(p.read_text().replace(".git.oracle@", ".v1.git.oracle@"))
    git(repo, "reset", "-q", "--hard", "v1~1")
    _commit(repo, "a.c", f"{title} when the firmware is busy", 5, "101")
    git(repo, "format-patch", "-q", "--thread", "--cover-letter", "-v2", "--range-diff=base..v1", "-o",
        str(tmp_path / "v2"), "base..HEAD")
    shown = git(repo, "range-diff", "--no-color", "--no-patch", "base..v1", "base..HEAD").stdout.decode()
    last = shown.rstrip("\n").split("\n")[-1]  # pasted without its inner diffs: the '!' pair is the last line
    assert last.startswith("2:  ") and " ! 2:  " in last and last.endswith(f" {title}")  # the oracle: v1's title
    prose = "This version makes the helper give up sooner, as asked in the first version's review, no more."
    cover = tmp_path / "v2" / "v2-0000-cover-letter.patch"
    head, _ = cover.read_text().split("\n\n", 1)
    cover.write_text(f"{head}\n\n{_wrap(prose, 66)}\n\nRange-diff against v1:\n{shown}Thanks,\nAnn\n-- \n2.x\n")
    assert len(last) + len(" Thanks,") > 66 >= len(last)
    series = parse_series(IngestRequest((tmp_path / "v1", tmp_path / "v2")))
    (note,) = [n.reason for n in series.notes if "range-diff" in n.reason]
    assert note.endswith(f"changed: v2 2 '{title}' (was v1 2); 1 the same"), note
