"""A rule's variable found under another name in the function it judges (harness.localrename), and the gate on it."""

from __future__ import annotations

from pathlib import Path

from harness.gate import GateRequest, evaluate_gate
from harness.localrename import LocalRename, find_local
from harness.verdict import VerdictStatus
from models.loader import Source, definitions
from models.slicer import Definition
from tests.harness.seriesgen import NEW_HOME, PREPARE, RETRY_BY_LEAF, RETRY_SAFE, Step, helpers, revision
from tests.mailgen import write_mbox

LOOP = "static int f(int a)\n{\n\tint code = 1;\n\tint n = 3;\n\n\tif (a)\n\t\tcode = 2;\n" \
       "\twhile (g(a) == code && --n)\n\t\t;\n\treturn n;\n}\n"


def _def(text: str) -> Definition:
    return definitions((Source("a.h", ((1, tuple(text.splitlines())),), True),))["f"][0]


def test_a_variable_under_another_name_stands_where_the_other_text_has_it() -> None:
    found = find_local("code", "f", LOOP.replace("code", "busy"), [("v3", _def(LOOP))], frozenset({"busy", "n"}))
    assert found == LocalRename("code", "busy", "f", "v3's f() (a.h:1)")
    assert found.note() == "code is busy in f(): busy stands where v3's f() (a.h:1) has code"


def test_a_value_chosen_otherwise_is_no_rename_and_says_why() -> None:
    # The comparison now calls a helper: no one name stands where 'code' stood.
    helper = LOOP.replace("\tint code = 1;\n", "").replace("\n\tif (a)\n\t\tcode = 2;\n", "\n") \
        .replace("g(a) == code", "need(a, g(a))")
    why = find_local("code", "f", helper, [("v3", _def(LOOP))], frozenset({"n"}))
    assert isinstance(why, str) and why.startswith("f() does not set code, which other texts of it in the input do: ")
    assert "3 of the 3 places v3's f() (a.h:1) has code have no one name in their place" in why, why
    assert "'if (a) code = 2; while (g(a) == code && --n);' is 'while (need(a, g(a)) && --n);' here" in why, why
    # The function as it was before the variable came (the patch adding it dropped): nothing renamed, n/a.
    before = LOOP.replace("\tint code = 1;\n", "").replace("\n\tif (a)\n\t\tcode = 2;\n", "\n") \
        .replace("g(a) == code", "g(a) == 1")
    assert find_local("code", "f", before, [("v3", _def(LOOP))], frozenset({"n"}), [_def(before)]) is None
    assert isinstance(find_local("code", "f", before, [("v3", _def(LOOP))], frozenset({"n"}), [_def(helper)]), str)
    # Two names in its place, or one the function does not set: no rename either.
    two = LOOP.replace("int code = 1", "int first = 1").replace("code = 2", "second = 2").replace("== code", "== first")
    assert "first, second: not one new name" in str(find_local("code", "f", two, [("v3", _def(LOOP))],
                                                              frozenset({"first", "second", "n"})))
    assert "which it does not set" in str(find_local("code", "f", LOOP.replace("code", "busy"), [("v3", _def(LOOP))],
                                                     frozenset({"n"})))
    assert find_local("code", "f", LOOP, [], frozenset({"code"})) is None


def _retry(var: str, adjacent: bool) -> str:
    """RETRY_BY_LEAF with its retry code called ``var``, its default set right before the override or not."""
    text = RETRY_BY_LEAF.replace("busy", var)
    if adjacent:
        text = text.replace(f"\tu64 {var} = TDX_RND_NO_ENTROPY;\n\tu64 err;\n", f"\tu64 err;\n\tu64 {var} = "
                            "TDX_RND_NO_ENTROPY;\n").replace(
            "TDX_RND_NO_ENTROPY;\n\n\tif (unlikely", "TDX_RND_NO_ENTROPY;\n\tif (unlikely")
    return text


def _verdict(tmp_path: Path, v4: str, v3: str | None = "retry_code") -> tuple[VerdictStatus, str]:
    base = helpers(RETRY_SAFE)
    create = Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, base),))
    msgs = revision(3, [create, Step(PREPARE, ((NEW_HOME, base, helpers(_retry(v3, False))),))]) if v3 else []
    msgs += revision(4, [create, Step(PREPARE, ((NEW_HOME, base, helpers(v4)),))])
    g = evaluate_gate(GateRequest((write_mbox(tmp_path / "s.mbox", msgs),), "v4", jobs=1))
    found = next(v for v in g.verdicts if v.rule.id == "retry-code-chosen-in-one-place")
    return found.status, found.note


def test_the_rule_judges_the_renamed_retry_code(tmp_path: Path) -> None:
    # v3 calls it retry_code, v4 busy: the rule was n/a on v4 ("does not set retry_code"); it judges busy.
    status, note = _verdict(tmp_path, _retry("busy", False))
    assert status is VerdictStatus.FAIL, note
    lines = helpers(_retry("retry_code", False)).splitlines()
    head = 1 + next(n for n, ln in enumerate(lines) if ln.startswith("static __always_inline u64 sc_retry("))
    assert note == f"retry_code is busy in sc_retry(): busy stands where v3's sc_retry() ({NEW_HOME}:{head}) has " \
                   "retry_code"
    status, note = _verdict(tmp_path, _retry("busy", True))
    assert status is VerdictStatus.PASS and note.startswith("retry_code is busy in sc_retry()"), note


def test_nothing_showing_the_variable_leaves_the_role_to_name_it(tmp_path: Path) -> None:
    # No text of the input names retry_code: it was n/a; the retry loop's test names busy (harness.rolevar).
    status, note = _verdict(tmp_path, _retry("busy", False), None)
    assert status is VerdictStatus.FAIL, note
    assert note.startswith("sc_retry() does not name retry_code; busy holds the code sc_retry() retries on: "), note
