"""Which files of the paths given are mail (harness.mailpaths): folders, maildirs in git's order, links, missing."""

from __future__ import annotations

from pathlib import Path

from harness.mailpaths import read_paths
from tests.mailgen import blob, demo_series, message, patch_body, write_eml, write_mbox


def test_directory_recursive_and_filtered(tmp_path: Path) -> None:
    series = demo_series()
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    write_eml(tmp_path / "0000.eml", series[0])
    write_eml(tmp_path / "sub" / "0001.patch", series[1])
    write_mbox(tmp_path / "sub" / "deeper" / "rest.mbox", series[2:])
    (tmp_path / "README.md").write_text("not mail")
    (tmp_path / ".hidden.eml").write_text("junk")
    msgs, skipped = read_paths([tmp_path])
    assert len(msgs) == 4 and not skipped

def test_missing_path_and_unreadable(tmp_path: Path) -> None:
    msgs, skipped = read_paths([tmp_path / "nope"])
    assert not msgs and skipped[0].reason == "no such file or directory"

def test_a_maildir_is_read_whatever_its_file_names(tmp_path: Path) -> None:
    """b4 mbox -M, mutt and notmuch keep mail in maildirs: cur/ and new/ hold one message a file, named
    ``<time>.<unique>.<host>[:2,<flags>]``; tmp/ holds mail still being delivered. It read as "no mail"."""
    import mailbox

    from harness.ingest import IngestRequest, parse_series

    box = mailbox.Maildir(tmp_path / "thread", create=True)
    msgs = demo_series()
    for i, m in enumerate(msgs):
        kept = mailbox.MaildirMessage(m.as_bytes())
        if i % 2:
            kept.set_subdir("cur")
            kept.set_flags("S")  # seen: the name ends in ":2,S"
        box.add(kept)
    (tmp_path / "thread" / "tmp" / "1700000000.M1P1.host").write_bytes(msgs[1].as_bytes()[:100])  # half written
    names = sorted(p.name for p in (tmp_path / "thread").rglob("*") if p.is_file())
    assert any(n.endswith(":2,S") for n in names) and all("." in n for n in names)
    got, skipped = read_paths([tmp_path / "thread"])
    assert not skipped and sorted(m.header("Message-ID") for m in got) == sorted(m["Message-ID"] for m in msgs)
    s = parse_series(IngestRequest((tmp_path / "thread",)))
    assert not s.skipped and len(s.revision(2).patches) == 3  # type: ignore[union-attr]


def test_a_maildir_is_read_in_git_mailsplits_order(tmp_path: Path) -> None:
    """git am of a maildir takes its files in maildir_filename_cmp's order (digit runs by value: two messages
    of one second, ``M9`` before ``M10``; Python's mailbox counts ``Q9``, ``Q10``), and lone [PATCH] mails go in
    the order read: they were read by plain name (``M10`` first) and numbered out of git am's order."""
    from harness.ingest import IngestRequest, parse_series
    from tests.gitoracle import mailsplit

    box = tmp_path / "box"
    for part in ("cur", "new", "tmp"):
        (box / part).mkdir(parents=True)
    names = ["1706000000.M10P7Q10.host:2,S", "1706000000.M9P7Q9.host:2,S", "1706000000.M9P7Q11.host",
             "1706000001.M2P7.host", "999999999.M1P7.host", "1706000000.M9P7Q9-a.host", "1706000000.M9P7Q9a.host",
             "1706000000.M9P7Q009.host"]
    for k, name in enumerate(names):
        title = f"demo: step {k}"
        msg = message(f"[PATCH] {title}", f"m{k}@example.org", patch_body(title, f"diff --git a/f{k} b/f{k}\n"
                      f"new file mode 100644\nindex 0000000..{blob(str(k) + chr(10))[:7]}\n--- /dev/null\n+++ b/f{k}\n"
                      f"@@ -0,0 +1 @@\n+{k}\n"))
        write_eml(box / ("cur" if k % 3 else "new") / name, msg)
    git_order = [m.split(b"Message-ID: ", 1)[1].split(b"\n", 1)[0].decode() for m in mailsplit(tmp_path, box)]
    got, skipped = read_paths([box])
    assert not skipped and [m.header("Message-ID") for m in got] == git_order
    assert git_order != sorted(git_order, key=lambda mid: names[int(mid[2:].split("@")[0])])  # plain order differs
    (rev,) = parse_series(IngestRequest((box,))).revisions
    assert [f"<{p.mail.msgid}>" for p in rev.patches] == git_order


def test_a_folder_walk_is_os_walks_without_recursion(tmp_path: Path) -> None:
    import os
    import random as rnd

    from harness.mailpaths import walk_folder

    r = rnd.Random(5)
    folders = [tmp_path]
    for n in range(60):
        parent = r.choice(folders)
        if r.random() < 0.6:
            (sub := parent / f"d{n}").mkdir()
            folders.append(sub)
        elif r.random() < 0.5:
            (parent / f"f{n}.eml").write_text("x")
        else:
            (parent / f"l{n}").symlink_to(r.choice(folders))  # a link to a folder: listed, never entered
    assert [(a, sorted(b), sorted(c)) for a, b, c in walk_folder(str(tmp_path))] == \
        [(a, sorted(b), sorted(c)) for a, b, c in os.walk(str(tmp_path))]


def test_folders_a_thousand_deep_are_read(tmp_path: Path) -> None:
    # Python 3.11's os.walk recurses: a RecursionError, an internal error (exit 3).
    deep = tmp_path
    for _ in range(1200):
        deep = deep / "d"
        deep.mkdir()
    write_mbox(deep / "s.mbox", demo_series())
    try:
        msgs, skipped = read_paths([tmp_path])
        assert len(msgs) == 4 and not skipped
    finally:  # pytest's own removal of tmp_path recurses too
        (deep / "s.mbox").unlink()
        while deep != tmp_path:
            deep.rmdir()
            deep = deep.parent


def test_an_input_that_is_a_loop_of_links_is_said_so(tmp_path: Path) -> None:
    # 'l1' -> 'l2' -> 'l1' given as the input was 'no such file or directory', which its name, listed, belies.
    (tmp_path / "l1").symlink_to("l2")
    (tmp_path / "l2").symlink_to("l1")
    (tmp_path / "dangling").symlink_to("nowhere")
    _, skipped = read_paths([tmp_path / "l1", tmp_path / "dangling", tmp_path / "nope"])
    # A dangling link named its target nowhere: 'no such file or directory', of a name ls lists.
    assert [s.reason for s in skipped] == ["too many levels of symbolic links",
                                           "a symbolic link to nowhere, which does not exist",
                                           "no such file or directory"]
