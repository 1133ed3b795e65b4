"""Variants built directly from C text of our own, and a small matrix, for runner/compare tests."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from harness.filestate import full_file
from harness.matrix import Matrix, load_matrix
from harness.variants import Variant

if TYPE_CHECKING:
    from harness.matrixresult import MatrixResult
    from harness.verdict import Verdict

HELPER = "demo/helper.h"

# Our own miniature of the helpers under review: retry on a busy code, print failures.
RETRY_C = """\
#define DEMO_BUSY 0x8000000000000010ULL
static inline u64 demo_retry(u64 fn, struct tdx_module_args *args)
{
	int tries = TRIES;
	u64 ret;

	do {
		ret = __seamcall(fn, args);
	} while (ret == DEMO_BUSY && --tries);
	return ret;
}

static inline int demo_prerr(u64 fn, struct tdx_module_args *args)
{
	u64 ret = demo_retry(fn, args);

	if (ret)
		pr_err("DEMO (FMT) failed: 0x%016llx\\n", fn, ret);
	return ret ? -EIO : 0;
}
"""

MATRIX = """\
[codes]
OK = 0
BUSY = 0x8000000000000010
FAIL = 0x8000000000000001

[leaves]
ONE = 1
BIG = 0x8000000000000002

[[unit]]
name = "demo.c"
path = "demo/demo.c"

[[entry]]
name = "demo_retry"

[[entry]]
name = "demo_prerr"

[[script]]
name = "ok"
answers = ["OK"]

[[script]]
name = "busy"
answers = ["BUSY", "OK"]
repeat_first = [1, 5]

[[script]]
name = "fail"
answers = ["FAIL"]
"""


def variant(name: str, tries: int = 3, fmt: str = "%llu", extra: str = "", revision: int | None = None,
            prefix: int | None = None, start: str | None = None) -> Variant:
    text = RETRY_C.replace("TRIES", str(tries)).replace("FMT", fmt) + extra
    files = (full_file(HELPER, text, f"written for {name}"),)
    return Variant(name, f"test variant {name}", files, (), (), (), "test", revision, prefix, start)


def matrix(tmp_path: Path, text: str = MATRIX) -> Matrix:
    path = tmp_path / "matrix.toml"
    path.write_text(text)
    return load_matrix(path)


def header_result(tmp_path: Path, name: str, path: str, text: str, big: int) -> MatrixResult:
    """One variant made of one header, its ``busy`` entry run in demo.c under two scripts: ``ok`` (answer
    0) and ``big`` (answer ``big``)."""
    from harness.runner import MatrixRequest, run_matrix

    v = Variant(name, name, (full_file(path, text, "test"),), (), (), (), "t")
    (tmp_path / "m.toml").write_text(
        f'[codes]\nOK = 0\nBIG = {big:#018x}\n[leaves]\nONE = 1\n[[unit]]\nname = "demo.c"\n'
        'path = "demo/demo.c"\n[[entry]]\nname = "busy"\n[[script]]\nname = "ok"\nanswers = ["OK"]\n'
        '[[script]]\nname = "big"\nanswers = ["BIG"]\n')
    # No time budget: these programs end, and a loaded host must not turn their runs into 'not run'.
    return run_matrix(MatrixRequest((v,), load_matrix(tmp_path / "m.toml"), jobs=1, time_budget=0))


def agrees_with_gcc(tmp_path: Path, name: str, path: str, text: str, big: int, want: tuple[int, int]) -> MatrixResult:
    """header_result whose two runs return ``want`` (under ``ok``, under ``big``: gcc's values) and whose native
    build from the header's own text agrees with the mirror on both; the result, for what a test checks more."""
    from harness.crosscheck import crosscheck_result
    from models.native.run import find_compiler

    result = header_result(tmp_path, name, path, text, big)
    ok, big_run = (result.outcome(name, f"busy/ONE/{s}/demo.c") for s in ("ok", "big"))
    assert (ok.ret, big_run.ret) == want, (ok.error, big_run.error)
    r = crosscheck_result(result, find_compiler(None))
    assert r.raw_compared[name] == 2 and r.disagreements == [], [d.divergence for d in r.disagreements]
    return result


def tree_rule_gate(tmp: Path, before: str, after: str, *, others: dict[str, str] | None = None, matrix_add: str = "",
                   check: str = "", also: dict[str, str] | None = None) -> Verdict:
    """gate --tree on a git tree whose demo/h.h is ``before`` (demo/demo.c includes it, plus ``others`` files) and one
    patch making it ``after`` (and each of ``also``'s files, of ``others``, that text), judged by one equivalence rule
    ``tidy-changes-nothing`` (reference before:patch, then ``check`` added to its check table) under MATRIX plus
    ``matrix_add``: the rule's verdict."""
    from tests.gitoracle import init_repo
    from tests.mailgen import diff, message, patch_body, write_mbox

    tree = init_repo(tmp / "tree", {"demo/h.h": before, "demo/demo.c": '#include "h.h"\n', **(others or {})})
    mbox = write_mbox(tmp / "t.mbox", [message("[PATCH] demo: tidy", "t1@x",
                                               patch_body("Tidy.", diff("demo/h.h", before, after) + "".join(
                                                   diff(p, (others or {})[p], t) for p, t in (also or {}).items())))])
    return tree_gate_verdict(tmp, tree, mbox, '[[rule]]\nid = "tidy-changes-nothing"\nreviewer = "R"\nsummary = "s"\n'
                             'patch = "tidy"\n[rule.check]\nkind = "equivalence"\nreference = "before:patch"\n'
                             + check, matrix_add)


def tree_gate_verdict(tmp: Path, tree: Path, mbox: Path, rules: str, matrix_add: str = "") -> Verdict:
    """gate --tree ``tree`` (base HEAD) of v1 in ``mbox`` under MATRIX plus ``matrix_add`` and the one rule of the
    TOML text ``rules`` (both written into ``tmp``): that rule's verdict."""
    from harness.gate import GateRequest, evaluate_gate

    (tmp / "m.toml").write_text(MATRIX + matrix_add)
    (tmp / "r.toml").write_text(rules)
    g = evaluate_gate(GateRequest((mbox,), "v1", jobs=1, cache=None, tree=tree, base="HEAD",
                                  matrix=tmp / "m.toml", rules=tmp / "r.toml"))
    [v] = g.verdicts
    return v
