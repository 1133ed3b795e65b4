"""Subject tags: versions, numbering, RFC/RESEND, replies."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harness.subject import addendum, parse_subject
from tests.cputime import cpu_seconds
from tests.gitoracle import mailinfo as git_mailinfo


@pytest.mark.parametrize(
    ("raw", "version", "number", "total", "rfc", "resend", "reply", "title"),
    [
        ("[PATCH v3 06/26] x86/virt/tdx: Prepare", 3, 6, 26, False, False, False, "x86/virt/tdx: Prepare"),
        ("[RFC PATCH 02/20] x86: thing", 1, 2, 20, True, False, False, "x86: thing"),
        ("[PATCH RESEND v2 1/3] a: b", 2, 1, 3, False, True, False, "a: b"),
        ("[PATCH] single", 1, None, None, False, False, False, "single"),
        ("Re: [PATCH v3 06/26] x86/virt/tdx: Prepare", 3, 6, 26, False, False, True, "x86/virt/tdx: Prepare"),
        ("RE: Re: [PATCHv4 3/7] net: x", 4, 3, 7, False, False, True, "net: x"),
        ("[RFC][PATCH v2 0/4] cover", 2, 0, 4, True, False, False, "cover"),
        ("[PATCH net-next v5 12/12] tail", 5, 12, 12, False, False, False, "tail"),
        ("[PATCH 6/5] added later", 1, 6, 5, False, False, False, "added later"),  # b4: patch 6
        ("[PATCH 1/0] no count", 1, None, None, False, False, False, "no count"),
        ("Plain subject", 1, None, None, False, False, False, "Plain subject"),
        ("[RFC v2 PATCH 1/2] order", 2, 1, 2, True, False, False, "order"),
    ],
)
def test_subject_forms(raw: str, version: int, number: int | None, total: int | None,
                       rfc: bool, resend: bool, reply: bool, title: str) -> None:
    s = parse_subject(raw)
    assert (s.version, s.number, s.total, s.rfc, s.resend, s.is_reply, s.title) == (
        version, number, total, rfc, resend, reply, title)


def test_patch_flag() -> None:
    assert parse_subject("[PATCH v2 1/2] x").is_patch
    assert parse_subject("[RFC 1/2] x").is_patch
    assert not parse_subject("[GIT PULL] x").is_patch


def test_thousand_tags_is_linear_and_sane() -> None:
    s = parse_subject("[" + " ".join(["TAG"] * 1000) + " v7 3/9] title")
    assert (s.version, s.number, s.total, s.title) == (7, 3, 9, "title")


@given(st.text(max_size=200))
def test_any_subject_parses(raw: str) -> None:
    s = parse_subject(raw)
    assert s.version >= 0
    assert (s.number is None) == (s.total is None)
    if s.number is not None and s.total is not None:
        assert s.number >= 0 and s.total > 0


@given(st.integers(1, 99), st.integers(0, 999), st.integers(1, 999), st.booleans())
def test_generated_tags_round_trip(version: int, number: int, total: int, rfc: bool) -> None:
    raw = f"[{'RFC ' if rfc else ''}PATCH v{version} {number}/{total}] t"
    s = parse_subject(raw)
    assert s.version == version and s.rfc == rfc
    assert (s.number, s.total) == (number, total)  # N > M too ("[PATCH 6/5]"), as b4 reads it


@pytest.mark.parametrize(("raw", "reply"), [
    ("[PATCH v3 06/26 fixup] x86/virt: fix it", True),  # an addendum to 06/26, never 06/26 itself
    ("[PATCH v3 06/26] [fixup!] x86/virt: fix it", True),
    ("[PATCH net-next v3 06/26] x86/virt: fix it", False),  # a tree name is not an addendum
    ("[PATCH v3 fixup] x86/virt: fix it", False),  # no number: nothing it could be an addendum to
])
def test_an_addendum_to_a_patch_is_a_reply_to_it(raw: str, reply: bool) -> None:
    s = parse_subject(raw)
    assert s.is_reply is reply and s.number == 6 if reply else s.is_reply is reply


@pytest.mark.parametrize(("raw", "version", "point", "number", "patch", "rfc"), [
    ("[PATCH v2.1 1/1] x86: update", 2, (1,), 1, True, False),  # git format-patch -v2.1
    ("[PATCHv2.1 3/7] x86: update", 2, (1,), 3, True, False),
    ("[PATCH-v3] x86: dash", 3, (), None, True, False),
    ("[RFC_v4 2/5] x86: underscore", 4, (), 2, False, True),
    ("[PATCH v3.0.2] x86: deep", 3, (0, 2), None, True, False),
    ("[PATCH v2.x] x86: not a number", 1, (), None, True, False),
])
def test_point_and_joined_versions(raw: str, version: int, point: tuple[int, ...], number: int | None,
                                   patch: bool, rfc: bool) -> None:
    s = parse_subject(raw)
    assert (s.version, s.point, s.number, s.is_patch, s.rfc) == (version, point, number, patch or rfc, rfc)


@given(st.integers(1, 99), st.lists(st.integers(0, 99), max_size=3), st.sampled_from(["PATCH ", "PATCH", "PATCH-",
                                                                                       "RFC ", ""]))
def test_generated_version_tags_never_read_as_v1(major: int, point: list[int], prefix: str) -> None:
    tag = f"v{major}" + "".join(f".{p}" for p in point)
    s = parse_subject(f"[{prefix}{tag} 2/4] t")
    assert (s.version, s.point, s.number, s.total) == (major, tuple(point), 2, 4)


@pytest.mark.parametrize("space", ["\u00a0", "\u2028", "\u3000", "\x0b", "\x0c", "\x85"])
def test_title_keeps_non_git_whitespace(space: str) -> None:
    # git mailinfo's cleanup_space and strbuf_trim fold only git's isspace: " \t\n\r".
    s = parse_subject(f"[PATCH v2]{space}x86:{space}Retry  \t five{space}")
    assert s.title == f"{space}x86:{space}Retry five{space}" and s.version == 2


@pytest.mark.parametrize(("raw", "reply", "number", "title"), [
    ("\u7b54\u590d: [PATCH v3 02/26] x86/tdx: foo", True, 2, "x86/tdx: foo"),  # Outlook in Chinese
    ("\u56de\u590d\uff1a[PATCH v3 02/26] x86/tdx: foo", True, 2, "x86/tdx: foo"),  # a full-width colon
    ("VS: [PATCH v3 02/26] x86/tdx: foo", True, 2, "x86/tdx: foo"),  # Finnish
    ("Odp: Re: [PATCH v3 02/26] x86/tdx: foo", True, 2, "x86/tdx: foo"),  # Polish, then English
    ("RIF: [RFC PATCH 02/26] x86/tdx: foo", True, 2, "x86/tdx: foo"),  # Italian
    ("mm: [trivial] fix a typo", False, None, "mm: [trivial] fix a typo"),  # a subject's own words
    ("RFC: [PATCH 1/2] x", False, None, "RFC: [PATCH 1/2] x"),
])
def test_reply_prefixes_of_other_clients(raw: str, reply: bool, number: int | None, title: str) -> None:
    """As b4 (LoreSubject) reads them: a word of two or three letters and a colon before a patch tag."""
    s = parse_subject(raw)
    assert (s.is_reply, s.number, s.title) == (reply, number, title)


@pytest.mark.parametrize("prefix", ["Re: ", "VS: ", "Fwd : ", "Re [3] : ", "ab: Re: "])
@pytest.mark.parametrize("tail", ["[PATCH] x", "no tag", "[nopatch] y"])
def test_thousands_of_reply_prefixes_take_linear_time(prefix: str, tail: str) -> None:
    """A look-ahead per prefix was quadratic, two readings of "Re :" exponential: seconds to hours."""
    # Timed: the backtracking is inside one match of _REPLY, where no count sees (tests/cputime.py).
    started = cpu_seconds()
    s = parse_subject(prefix * 20000 + tail)
    assert cpu_seconds() - started < 1.0
    assert s.is_reply == (tail.startswith("[PATCH") or prefix in ("Re: ", "Fwd : ", "Re [3] : "))


@pytest.mark.parametrize("unit", ["[PATCH] ", "Re: [x] ", "[a]:: "])
def test_a_hundred_thousand_tags_take_linear_time(unit: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each tag read cut the subject, copying the rest: 100,000 tags took 2.5 s, 400,000 took 47 s (c555fe3^).
    Counted, not timed: the characters the tags' reading copies out of the subject (slices and strips of it, each
    counted and counting in turn), some the subject's once, not once a tag."""
    import harness.subject

    copied: list[int] = []

    class Text(str):
        """The subject as the tags are read from it, counting what each cut of it copies."""

        def __getitem__(self, i: Any) -> Text:
            got = super().__getitem__(i)
            if isinstance(i, slice):
                copied.append(len(got))
            return Text(got)

        def lstrip(self, chars: str | None = None) -> Text:
            got = super().lstrip(chars)
            copied.append(len(got))
            return Text(got)

    real = harness.subject.git_strip
    monkeypatch.setattr(harness.subject, "git_strip", lambda text: Text(real(text)))
    raw = unit * 20_000 + "[PATCH v2 1/3] x"
    s = parse_subject(raw)
    assert sum(copied) <= len(raw), (len(copied), sum(copied))  # c555fe3^: some 1,000 times the subject
    assert (s.version, s.number, s.title) == (2, 1, "x")


@pytest.mark.parametrize(("raw", "reply", "after", "number"), [
    ("[PATCH v4 1/5] Re: demo: fix", False, True, 1),  # b4 reads "Re:" at the start only
    ("Re: [PATCH v4 1/5] Re: demo: fix", True, False, 1),
    ("[PATCH v4 1/5] demo: fix", False, False, 1),
    ("[PATCH v4 1/5 fixup] Re: demo: fix", True, False, 1),
])
def test_re_after_the_tags_is_said_apart(raw: str, reply: bool, after: bool, number: int) -> None:
    s = parse_subject(raw)
    assert (s.is_reply, s.reply_after_tags, s.number, s.title) == (reply, after, number, "demo: fix")


@pytest.mark.parametrize("raw", ["[PATCH v4; 3/5] demo: fix", "[PATCH v4 3/5;] demo: fix",
                                 "[PATCH; v4; 3/5;] demo: fix", "[PATCH v4;3/5] demo: fix",
                                 "[PATCH, v4, 3/5] demo: fix"])
def test_tags_ending_in_a_semicolon_read_as_b4_reads_them(raw: str) -> None:
    b4 = pytest.importorskip("b4")
    theirs = b4.LoreSubject(raw)
    s = parse_subject(raw)
    number = None if theirs.counters_inferred else theirs.counter
    assert (s.version, s.number, s.title) == (theirs.revision, number, "demo: fix")


# A patch's subject with a word and a colon after its tags: git mailinfo (cleanup_subject) drops only "re:" there,
# in any case and with more text after it; "AW:", "Fwd:", "Sv:", "Re :", "Re[2]:" and a subsystem's "mm:" stay in
# the commit title, and so does a tag after them. Each title is what git mailinfo gives (checked below with git).
_TITLES_AFTER_TAGS = [
    ("[PATCH v2 1/3] AW: demo: fix", "AW: demo: fix"),
    ("[PATCH] Fwd: demo: fix", "Fwd: demo: fix"),
    ("[PATCH 3/9 v2] Sv: demo: fix", "Sv: demo: fix"),
    ("[PATCH][v2] Re : demo: fix", "Re : demo: fix"),
    ("[PATCH v2 03/27 RESEND] Re[2]: demo: fix", "Re[2]: demo: fix"),
    ("[PATCH v2 1/3] mm: [RFC] demo: fix", "mm: [RFC] demo: fix"),
    ("[PATCH] AW: [PATCH] demo: fix", "AW: [PATCH] demo: fix"),
    ("[PATCH] RE: re: [PATCH] demo: fix", "demo: fix"),
    ("[PATCH] Re:", "Re:"),
]


@pytest.mark.parametrize(("raw", "title"), _TITLES_AFTER_TAGS)
def test_a_prefix_after_the_tags_stays_in_the_title_as_git_keeps_it(tmp_path: Path, raw: str, title: str) -> None:
    s = parse_subject(raw)
    assert (s.is_reply, s.title) == (False, title)
    if shutil.which("git") is not None:  # the oracle, when there is one
        assert git_mailinfo(tmp_path, f"From: A <a@example.org>\nSubject: {raw}\n\nbody\n".encode()).subject == title


@pytest.mark.parametrize(("raw", "said"), [
    ("[PATCH v2 2/2 fixup] demo: x", True), ("Re: [PATCH v2 2/2 squash!] demo: x", True),
    ("[PATCH v2 2/2] demo: fixup x", False), ("Re: [PATCH v2 2/2] demo: x", False), ("[PATCH fixup] demo: x", False)])
def test_addendum_is_a_tag_after_a_patch_number(raw: str, said: bool) -> None:
    assert addendum(parse_subject(raw)) is said


def test_a_subject_read_again_is_not_parsed_again() -> None:
    # Every reader of a thread asks its messages' subjects (some 5 times each): the frozen Subject is shared.
    from harness.subject import parse_subject

    first = parse_subject("Re: [RFC PATCH v3 06/26] x86/virt/tdx: a title")
    assert parse_subject("Re: [RFC PATCH v3 06/26] x86/virt/tdx: a title") is first
    assert (first.version, first.number, first.total, first.is_reply, first.rfc) == (3, 6, 26, True, True)
