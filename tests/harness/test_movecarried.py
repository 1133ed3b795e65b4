"""File-scope data a move carries changed is no pure move (harness.movecarried).

File-scope data a move carries changed (harness.movecarried): a constant, table or variable rewritten on the way is
no pure move, whatever the runs compared showed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from harness.findings import FindingKind
from harness.pipeline import EvalRequest, evaluate
from tests.harness.movesgate import moves_gate
from tests.mailgen import diff, message, patch_body, write_mbox

# Every line of demo_big() runs, every test on it both ways, under the matrix below: a pure move of it passes.
REGION = """#define DEMO_TRIES 3
#define DEMO_MASK 0xff

static const u64 demo_codes[] = { 0x11, 0x12, 0x40 };
static int demo_limit = 4;

int demo_big(u64 fn, struct tdx_module_args *args)
{
	int tries = DEMO_TRIES;
	u64 ret;
	int i;

	do {
		ret = __seamcall(fn, args);
	} while (ret == 0x10 && --tries);
	for (i = 0; i < 3; i++) {
		if (ret == demo_codes[i])
			return i + demo_limit;
	}
	return (ret & DEMO_MASK) ? -EIO : 0;
}
"""
# Longer than the region: a diff shows the region moving below it, not it moving above the region.
OTHER = "int demo_other(u64 fn)\n{\n\tint n = 0;\n\n" + "".join(f"\tn += fn * {i};\n" for i in range(30)) \
    + "\treturn n;\n}\n"
MATRIX = ('[codes]\nOK = 0\nA = 0x11\nB = 0x12\nBUSY = 0x10\n[leaves]\nONE = 1\n[[unit]]\nname = "u"\npath = "d/b.c"\n'
          '[[entry]]\nname = "demo_big"\nargs = ["fn", "args"]\n[[script]]\nname = "a"\nanswers = ["A"]\n'
          '[[script]]\nname = "b"\nanswers = ["B"]\n[[script]]\nname = "ok"\nanswers = ["OK"]\n'
          '[[script]]\nname = "busy"\nanswers = ["BUSY", "OK"]\nrepeat_first = [1, 5]\n')
# What no scripted answer (0x10, 0x11, 0x12, 0) tells apart: 0x40 or 0x41 and 0x100 would.
EDITS = {"table": ("0x12, 0x40 }", "0x12, 0x41 }"), "define": ("#define DEMO_MASK 0xff", "#define DEMO_MASK 0x1ff")}


def _series(tmp_path: Path, edit: tuple[str, str] | None, same_file: bool) -> Path:
    """1/2 adds the region to d/a.c (or d/b.c, ``same_file``) and demo_other(); 2/2 moves the region to d/b.c (below
    demo_other(), in its own file), rewriting ``edit`` on the way."""
    moved = REGION.replace(*edit) if edit else REGION
    if same_file:
        files = [("d/b.c", REGION + "\n" + OTHER, OTHER + "\n" + moved)]
        make = "obj-y += b.o y.o\n"
    else:
        files = [("d/a.c", OTHER + "\n" + REGION, OTHER), ("d/b.c", OTHER.replace("other", "b_other"),
                                                           OTHER.replace("other", "b_other") + "\n" + moved)]
        make = "obj-y += a.o b.o y.o\n"
    add = diff("d/Makefile", "obj-y += y.o\n", make) + "".join(diff(p, None, old) for p, old, _ in files)
    move = "".join(diff(p, old, new) for p, old, new in files)
    msgs = [message("[PATCH 0/2] demo", "c@x", "cover\n"),
            message("[PATCH 1/2] demo: add", "p1@x", patch_body("add", add), parent="c@x"),
            message("[PATCH 2/2] demo: move the helper", "p2@x", patch_body("move", move), parent="c@x")]
    return write_mbox(tmp_path / "s.mbox", msgs)


def _judged(tmp_path: Path, edit: tuple[str, str] | None, same_file: bool) -> tuple[dict[str, Any], list[Any]]:
    """The moves rule's JSON row and eval's code-move findings on the series."""
    mbox = _series(tmp_path, edit, same_file)
    code, rule, output = moves_gate(tmp_path, mbox, MATRIX)
    assert code == (0 if rule["verdict"] == "pass" else 1), output
    ev = evaluate(EvalRequest((mbox,), matrix=tmp_path / "m.toml", jobs=1, cache=None))
    return rule, [f for f in ev.comparison.findings if f.kind.name.startswith("CODE_MOVE")]


@pytest.mark.parametrize("same_file", [False, True], ids=["to another file", "within its file"])
def test_a_move_of_data_and_code_unchanged_is_a_pure_move(tmp_path: Path, same_file: bool) -> None:
    rule, found = _judged(tmp_path, None, same_file)
    assert rule["verdict"] == "pass", rule
    assert [f.kind for f in found] == [FindingKind.CODE_MOVE], found


@pytest.mark.parametrize("same_file", [False, True], ids=["to another file", "within its file"])
@pytest.mark.parametrize("what", sorted(EDITS))
def test_data_changed_in_the_move_is_no_pure_move(tmp_path: Path, what: str, same_file: bool) -> None:
    # The runs compared are all alike (no answer is 0x40, 0x41 or 0x100), the lines using the data ran: the rule passed
    # (READY, exit 0) and eval said 'moves ... without changing behaviour'; the table was not even named.
    rule, found = _judged(tmp_path, EDITS[what], same_file)
    name = {"table": "demo_codes", "define": "DEMO_MASK"}[what]
    # The mask is also told by the value runs (the answer 0x100 next to the condition using it): changed.
    if what == "define":
        assert rule["verdict"] == "fail", rule
        assert "neighbour-0x100" in " ".join(str(e["scenario"]) for e in rule["evidence"]), rule["evidence"]
    else:
        assert rule["verdict"] == "inconclusive", rule
        assert f"02/2: {name} (d/" in rule["note"] and "changed in the move" in rule["note"], rule["note"]
    kind = FindingKind.CODE_MOVE_CHANGED if what == "define" else FindingKind.CODE_MOVE_NOT_COMPARED
    assert [f.kind for f in found] == [kind], found
    assert kind is FindingKind.CODE_MOVE_CHANGED or f"{name} (d/" in found[0].text, found[0].text
