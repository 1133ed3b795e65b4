"""git as the oracle: every mail fixture, and generated mail in every shape, read and applied as git am does.

For each input, seamharness and git (mailsplit, mailinfo, apply, am in scratch repositories) must agree on
the messages, which of them are patches, author, subject, commit message, the patch bytes, every file's
diff (counts, renames, copies, the hunks applied to their own pre-image) and every blob of the files
seamharness rebuilds completely (see tests/gitoracle.py).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests.conftest import SHARED
from tests.gitoracle import Change, check_agreement, format_patches
from tests.mailgen import Shape, shaped_mail, write_mailbox

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MAIL_FIXTURES = sorted(p for p in (FIXTURES / "mail").iterdir() if p.is_dir())


@pytest.mark.parametrize("folder", MAIL_FIXTURES, ids=lambda p: p.name)
def test_mail_fixtures_agree_with_git(folder: Path, tmp_path: Path) -> None:
    seen = check_agreement(tmp_path, [folder])
    assert seen.patches >= 1 and seen.files >= 1 and seen.commits >= 1


@pytest.mark.parametrize("fixture", sorted((FIXTURES / "hostile").glob("*.eml")), ids=lambda p: p.name)
def test_hostile_fixtures_agree_with_git(fixture: Path, tmp_path: Path) -> None:
    check_agreement(tmp_path, [fixture])


def _shared(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"../shared/{'/'.join(parts)} is not present")
    return path


@pytest.mark.parametrize("revision", ["v1-rfc", "v2", "v3", "v3-review"])
def test_corpus_agrees_with_git(revision: str, tmp_path: Path) -> None:
    seen = check_agreement(tmp_path, [_shared("corpus", revision)])
    assert seen.messages >= 3
    if revision == "v3":
        assert seen.patches == 7 and seen.blobs > 0


@pytest.mark.parametrize("case", ["02-format-flowed", "03-no-newline-at-eof", "06-macro-generated-helpers",
                                  "08-scoped-guard-return", "10-gnu-c-extensions", "11-single-patch-utf8-trailer"])
def test_cases_agree_with_git(case: str, tmp_path: Path) -> None:
    seen = check_agreement(tmp_path, [_shared("cases", case)])
    assert seen.patches >= 1


# -- generated mail: the same agreement on every shape a mailer, an archive or a user may give ----------------

_LINES = st.one_of(
    st.sampled_from(["", " ", "\tint x;", "From the start", " leading blank", "trailing blank  ", "-- ", "---",
                     ">quoted", "caf\u00e9 Zo\u00eb \u4e2d", "diff --git a/x b/x", "\t/* " + "long words " * 7 + "*/"]),
    st.text(st.characters(min_codepoint=32, max_codepoint=0x2fff, blacklist_categories=("Cs",)), max_size=30),
)
_TEXT = st.lists(_LINES, min_size=1, max_size=10)


@st.composite
def _file(draw: st.DrawFn) -> bytes:
    text = "\n".join(draw(_TEXT)).encode()
    if draw(st.booleans()):
        text += b"\n"
    if draw(st.integers(0, 5)) == 0:
        text = text.replace(b"\xc3\xa9", b"\xe9")  # a Latin-1 byte: not UTF-8, kept as it is by git
    return text


@st.composite
def _shape(draw: st.DrawFn) -> Shape:
    cte = draw(st.sampled_from(["7bit", "8bit", "quoted-printable", "base64"]))
    flowed = draw(st.booleans())
    return Shape(
        charset=draw(st.sampled_from(["utf-8", "UTF-8", "iso-8859-1", "us-ascii"])),
        cte=cte, flowed=flowed, delsp=flowed and draw(st.booleans()), crlf=draw(st.booleans()),
        crlf_inside=cte in ("quoted-printable", "base64") and draw(st.integers(0, 4)) == 0,
        trailing_blanks=draw(st.integers(0, 2)), final_newline=draw(st.booleans()),
        attach=draw(st.integers(0, 4)) == 0,
        inbody_from=draw(st.sampled_from([None, None, "Zo\u00eb Writer <zoe@example.org>"])),
    )


@st.composite
def _series(draw: st.DrawFn) -> tuple[list[Change], list[tuple[str, Shape]], str]:
    first, second, third = draw(_file()), draw(_file()), draw(_file())
    assume(len({first, second, third}) == 3)  # every commit changes something
    log = "\n".join(draw(st.lists(st.sampled_from(
        ["Fix the retry.", "From now on the loop is bounded.", "Caf\u00e9 owner: J\u00fcrgen.", "",
         "Reviewed-by: Zo\u00eb Reviewer <zoe@example.org>", "  indented note", ">From a quote"]), max_size=5)))
    log += "\n\nSigned-off-by: Ann Author <ann@example.org>\n"
    extra: dict[str, bytes | None] = {}
    if draw(st.integers(0, 3)) == 0:
        extra["d/logo.bin"] = bytes(draw(st.lists(st.integers(0, 255), min_size=1, max_size=40))) + b"\0"
    if draw(st.integers(0, 3)) == 0:
        extra["d/z.h"] = third
    changes = [Change("demo: add the file", log, {"d/a.h": first, **extra})]
    changes.append(draw(st.sampled_from([
        Change("demo: edit the file", log, {"d/a.h": second}),
        Change("demo: edit and make executable", log, {"d/a.h": second}, modes={"d/a.h": "100755"}),
        Change("demo: move the file", log, {"d/b.h": first + b"\nmoved\n"}, renames={"d/a.h": "d/b.h"}),
        Change("demo: copy the file", log, {"d/c.h": first + b"\ncopied\n"}, copies={"d/a.h": "d/c.h"}),
    ])))
    if draw(st.booleans()):
        path = next(iter(changes[-1].files), "d/a.h")  # where the second change left the file
        changes.append(Change("demo: edit once more", log, {path: third + b"\nagain\n"}))
    elif draw(st.booleans()):
        changes = changes[:1]
    version = draw(st.sampled_from(["", " v2", " v3"]))
    if len(changes) == 1 and draw(st.booleans()):
        tags = [draw(st.sampled_from([f"[PATCH{version}]", "[RFC PATCH]", ""]))]  # a lone patch: no N/M
    else:
        tags = [f"[PATCH{version} {i}/{len(changes)}]" for i in range(1, len(changes) + 1)]
    shapes = [(tag, draw(_shape())) for tag in tags]
    if any(shape.charset == "us-ascii" for _, shape in shapes):
        # A mailer declares us-ascii only for an ASCII text (the diff's bytes may still be anything).
        changes = [replace(c, log=c.log.encode("ascii", "ignore").decode()) for c in changes]
    return changes, shapes, draw(st.sampled_from(["eml", "format-patch", "mboxrd", "mboxo"]))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow, HealthCheck.data_too_large])
@given(_series())
def test_generated_mail_agrees_with_git(tmp_path_factory: pytest.TempPathFactory,
                                        series: tuple[list[Change], list[tuple[str, Shape]], str]) -> None:
    changes, shapes, container = series
    tmp = tmp_path_factory.mktemp("oracle")
    made = format_patches(tmp, changes)
    mails = [shaped_mail("Ann Author <ann@example.org>", f"{tag} {title}", f"gen-{i}@example.org", log, patch, shape)
             for i, ((tag, shape), (title, log, patch)) in enumerate(zip(shapes, made, strict=True), start=1)]
    inputs = tmp / "in"
    inputs.mkdir()
    if container == "eml":
        for i, mail in enumerate(mails, start=1):
            (inputs / f"{i:04d}.eml").write_bytes(mail)
    else:
        write_mailbox(inputs / "series.mbox", mails, container)
    seen = check_agreement(tmp, [inputs])
    assert seen.messages == len(mails)


def _fixed_shape(**kw: object) -> Shape:
    base: dict[str, object] = dict(charset="utf-8", cte="7bit", flowed=False, delsp=False, crlf=False,
                                   crlf_inside=False, trailing_blanks=0, final_newline=False, attach=False,
                                   inbody_from=None)
    return Shape(**{**base, **kw})  # type: ignore[arg-type]


@pytest.mark.parametrize(("first", "second", "flowed_at"), [
    (b" ", b"\n ", 2),  # the context line "  " a flowed mailer ate to "": git adds nothing of it, a match at EOF
    (b"\n", b" ", 3),  # a removed "" before "\ No newline" is a line of the pre-image: refused on an empty file
])
def test_an_empty_line_before_no_newline_is_read_as_git_apply_reads_it(tmp_path: Path, first: bytes, second: bytes,
                                                                        flowed_at: int) -> None:
    # Found by the generated test above: a bare empty context line followed by "\ No newline at end of file" is
    # no line of either image (apply.c apply_one_fragment), while a removed empty line there is one.
    log = "\n\nSigned-off-by: Ann Author <ann@example.org>\n"
    changes = [Change("demo: add the file", log, {"d/a.h": first, "d/z.h": b""}, None, None, None),
               Change("demo: edit the file", log, {"d/a.h": second}, None, None, None),
               Change("demo: edit once more", log, {"d/a.h": b"\nagain\n"}, None, None, None)]
    made = format_patches(tmp_path, changes)
    inputs = tmp_path / "in"
    inputs.mkdir()
    for i, (title, body, patch) in enumerate(made, start=1):
        shape = _fixed_shape(flowed=True) if i == flowed_at else _fixed_shape(attach=True)
        mail = shaped_mail("Ann Author <ann@example.org>", f"[PATCH {i}/3] {title}", f"gen-{i}@example.org", body,
                           patch, shape)
        (inputs / f"{i:04d}.eml").write_bytes(mail)
    assert check_agreement(tmp_path, [inputs]).messages == 3
