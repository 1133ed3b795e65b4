"""Source checks (no_new_calls) on unseen shapes: fail or inconclusive, never pass.

Source checks (no_new_calls) on shapes the review never saw: a violation is a fail, or inconclusive where the
check cannot tell which code it judges, never a pass."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from harness.changelogcheck import changelog_hits
from harness.gate import GateRequest, evaluate_gate
from harness.verdict import VerdictStatus
from tests.harness.demomatrix import demo_matrix
from tests.harness.seriesgen import (
    NEW_HOME,
    PREPARE,
    RETRY_SAFE,
    WRAPPER,
    WRAPPER_C,
    Step,
    helpers,
    preparing_series,
    revision,
)
from tests.mailgen import diff, message, patch_body, write_mbox

COND = "if (err != TDX_RND_NO_ENTROPY || !--left)"
RULE = "no-unlikely-in-sc-retry"


def _verdict(tmp_path: Path, msgs: list) -> tuple[VerdictStatus, str]:  # type: ignore[type-arg]
    found = {v.rule.id: v for v in evaluate_gate(GateRequest((write_mbox(tmp_path / "v2.mbox", msgs),), "v2",
                                                             jobs=1)).verdicts}
    return found[RULE].status, found[RULE].note


@pytest.mark.parametrize("retry", [
    "#define sc_rarely(x) unlikely(x)\n"
    + RETRY_SAFE.replace(COND, "if (sc_rarely(err != TDX_RND_NO_ENTROPY) || !--left)"),
    RETRY_SAFE.replace(COND, "if (__builtin_expect(!!(err != TDX_RND_NO_ENTROPY), 0) || !--left)"),
    "static inline bool sc_done(u64 err, int *left)\n{\n"
    "\treturn unlikely(err != TDX_RND_NO_ENTROPY) || !--*left;\n}\n\n"
    + RETRY_SAFE.replace(COND, "if (sc_done(err, &left))"),
], ids=["wrapper macro", "spelled out", "in a helper it calls"])
def test_unlikely_in_any_shape_fails(tmp_path: Path, retry: str) -> None:
    assert _verdict(tmp_path, preparing_series(helpers(retry)))[0] is VerdictStatus.FAIL


def test_a_second_definition_in_a_c_file_is_not_passed_over(tmp_path: Path) -> None:
    # The header keeps its static inline sc_retry(); the patch adds a sc_retry() of the same name, with unlikely(),
    # to a .c file. The check read the header's alone and passed.
    c_file = "arch/x86/virt/vmx/tdx/seamldr.c"
    own = RETRY_SAFE.split("}\n\n", 1)[1].replace("static __always_inline u64 sc_retry", "u64 sc_retry") \
        .replace(COND, "if (unlikely(err != TDX_RND_NO_ENTROPY) || !--left)")
    base = helpers(RETRY_SAFE)
    msgs = revision(2, [
        Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, base),)),
        Step(PREPARE, ((c_file, None, "// SPDX-License-Identifier: GPL-2.0\n\n" + own),)),
        Step("x86/virt/seamldr: Add a P-SEAMLDR query wrapper", ((WRAPPER, None, WRAPPER_C),)),
    ])
    status, note = _verdict(tmp_path, msgs)
    assert status is VerdictStatus.INCONCLUSIVE, (status, note)
    assert f"sc_retry() is defined more than once: the check read {NEW_HOME}:" in note and f"not {c_file}:3" in note, \
        note


# -- changelog: a phrase the writer wrapped ------------------------------------------------------------------

WRAPPED = ("Our own changelog. A P-SEAMLDR leaf is told from a TDX module one by its bit\n"
           "63, which the retry code follows.")


def test_a_phrase_wrapped_across_two_lines_of_the_changelog_fails(tmp_path: Path) -> None:
    # "bit" ends a line and "63" starts the next: each line alone matched nothing, and the rule passed.
    base = helpers(RETRY_SAFE)
    msgs = preparing_series(base)
    cover = "gen-cover-v2@example.org"
    msgs[2] = message(str(msgs[2]["Subject"]), "gen-2-v2@example.org",
                      patch_body(WRAPPED, diff(NEW_HOME, base, base.replace("RDRAND_RETRY_LOOPS", "10"))),
                      parent=cover, refs=(cover,))
    g = evaluate_gate(GateRequest((write_mbox(tmp_path / "v2.mbox", msgs),), "v2", jobs=1))
    found = next(v for v in g.verdicts if v.rule.id == "changelog-no-abi-detail")
    assert found.status is VerdictStatus.FAIL, found
    assert found.evidence[0].actual == "Our own changelog. A P-SEAMLDR leaf is told from a TDX module one by its " \
                                       "bit / 63, which the retry code follows. (it says 'bit 63')"


def test_changelog_hits_join_a_paragraph_never_two() -> None:
    pattern = re.compile(r"\bbit\s*63\b")
    assert changelog_hits("one bit\n\n63 two", pattern) == []  # a blank line ends the sentence's paragraph
    assert changelog_hits("a bit 63\nb", pattern) == ["a bit 63"]
    assert changelog_hits("x\na bit\n  63 b\nc", pattern) == ["a bit / 63 b"]


# -- set_together: a variable set where the statements do not show it as an assignment ----------------------

SET_RULE = "retry-code-chosen-in-one-place"
CODED = RETRY_SAFE.replace("\tu64 err;\n", "\tu64 err;\n\tu64 retry_code = TDX_RND_NO_ENTROPY;\n", 1) \
    .replace("err != TDX_RND_NO_ENTROPY", "err != retry_code")
LATER = "\n\tfor (;;)"  # a second setting of retry_code goes before the loop, one statement after its default


@pytest.mark.parametrize(("later", "expected"), [
    ("\tleft += 0;\n\tif (fn & SEAMLDR_LEAF_BIT)\n\t\tretry_code++;\n", VerdictStatus.FAIL),  # passed: ++ set nothing
    ("\tleft += 0;\n\tif ((retry_code = fn >> 63))\n\t\tleft++;\n", VerdictStatus.FAIL),  # an assignment in a condition
    ("\tu64 *code = &retry_code;\n\n\tleft += 0;\n\tif (fn & SEAMLDR_LEAF_BIT)\n\t\t*code = 0x8000000000030001ULL;\n",
     VerdictStatus.INCONCLUSIVE),  # passed: set through a pointer
], ids=["increment", "in a condition", "through a pointer"])
def test_a_second_setting_in_another_shape_is_seen(tmp_path: Path, later: str, expected: VerdictStatus) -> None:
    g = evaluate_gate(GateRequest((write_mbox(tmp_path / "v2.mbox", preparing_series(helpers(
        CODED.replace(LATER, "\n" + later + LATER, 1)))),), "v2", jobs=1))
    found = next(v for v in g.verdicts if v.rule.id == SET_RULE)
    assert found.status is expected, found


def test_a_helper_become_a_function_like_macro_is_said_so(tmp_path: Path) -> None:
    # sc_retry() rewritten as a statement-expression macro, unlikely() inside: no function of the name to read.
    # The rule stays inconclusive (it said "v2 does not define sc_retry() ... did you mean 'sc_retry'?").
    mark_dirty = RETRY_SAFE.split("static __always_inline u64 sc_retry")[0]
    macro = mark_dirty + "#define sc_retry(op, fn, args)\t\t\\\n({\t\t\\\n\tint __left = RDRAND_RETRY_LOOPS;\t\\\n" \
        "\tu64 __err;\t\\\n\tdo {\t\\\n\t\tpreempt_disable();\t\\\n\t\t__err = sc_mark_dirty(op, fn, args);\t\\\n" \
        "\t\tpreempt_enable();\t\\\n\t} while (unlikely(__err == TDX_RND_NO_ENTROPY) && --__left);\t\\\n" \
        "\t__err;\t\\\n})\n"
    status, note = _verdict(tmp_path, preparing_series(helpers(macro)))
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert note.startswith(f"sc_retry is a function-like macro in v2 ({NEW_HOME}:"), note


def _changelog_verdict(tmp_path: Path, rule: str, log: str) -> VerdictStatus:
    base = helpers(RETRY_SAFE)
    msgs = preparing_series(base)
    cover = "gen-cover-v2@example.org"
    msgs[2] = message(str(msgs[2]["Subject"]), "gen-2-v2@example.org",
                      patch_body(log, diff(NEW_HOME, base, base.replace("RDRAND_RETRY_LOOPS", "10"))),
                      parent=cover, refs=(cover,))
    g = evaluate_gate(GateRequest((write_mbox(tmp_path / "v2.mbox", msgs),), "v2", jobs=1))
    return next(v for v in g.verdicts if v.rule.id == rule).status


@pytest.mark.parametrize("spelt", ["BIT_ULL(63)", "BIT(63)", "_BITUL(63)", "bit #63", "the most significant bit",
                                   "the top bit", "1ULL << 63", "the MSB", "the sign bit",
                                   # each passed until round 42: the SDM's index, the bit's value
                                   "RAX[63]", "bit[63]", "a leaf number of 0x8000000000000000 or more", "2^63",
                                   "bit-63",
                                   # each passed until round 44: the bit among its neighbours, by its place or
                                   # ordinal, by its value with digit separators, by a mask macro
                                   "bits 62 and 63", "bits 62-63", "RAX[63:62]", "bit number 63", "the 64th bit",
                                   "the high-order bit", "the leftmost bit", "0x8000_0000_0000_0000",
                                   "GENMASK_ULL(63, 62)"])
def test_the_bit_spelt_as_the_kernel_spells_it_fails(tmp_path: Path, spelt: str) -> None:
    # "P-SEAMLDR leaves have BIT_ULL(63) set" explains the ABI as much as "bit 63" does: it passed.
    log = f"Our own changelog. P-SEAMLDR leaves have {spelt} set, unlike the module's."
    assert _changelog_verdict(tmp_path, "changelog-no-abi-detail", log) is VerdictStatus.FAIL


@pytest.mark.parametrize("said", ["the leaf in bits 63:0 of RAX", "the leaf in RAX bits 0-63", "the leaf in RAX[63:0]",
                                  "up to 63 retries", "the 64-bit leaf"])
def test_a_whole_register_or_another_63_is_no_abi_detail(tmp_path: Path, said: str) -> None:
    # 'bits 63:0' failed until round 44: the whole register, which says nothing of the bit that picks the P-SEAMLDR.
    log = f"Our own changelog. The wrapper passes {said} to the SEAMCALL."
    assert _changelog_verdict(tmp_path, "changelog-no-abi-detail", log) is VerdictStatus.PASS


@pytest.mark.parametrize(("said", "expected"), [
    ("the current VMCS", VerdictStatus.FAIL),
    ("the current VMCSes", VerdictStatus.FAIL),  # passed: '\\bVMCS\\b' does not match a plural
    ("VMPTRST and VMPTRLD", VerdictStatus.FAIL),  # passed: the VMCS saved and loaded, by its instructions
    ("the virtual-machine control structure", VerdictStatus.FAIL),  # passed: spelt out
    ("the VMX root mode state", VerdictStatus.PASS),
    ("RAX[62]", VerdictStatus.PASS),
    # passed until round 44: the VMCS in a kernel identifier ('_' is a word character: '\\bVMCS\\b' found none)
    ("what vmcs_load() loaded", VerdictStatus.FAIL),
    ("the current_vmcs pointer", VerdictStatus.FAIL),
    ("__vmptrld()'s pointer", VerdictStatus.FAIL),
    ("the vmcall path", VerdictStatus.PASS),
])
def test_vmcs_handling_in_any_words_fails(tmp_path: Path, said: str, expected: VerdictStatus) -> None:
    log = f"Our own changelog. The wrapper keeps {said} across the call."
    assert _changelog_verdict(tmp_path, "changelog-no-vmcs", log) is expected


def _gcc_places(tmp_path: Path, attribute: str) -> str:
    """The section and name of the function gcc builds from ``{attribute} sc_done(...)``, with the kernel's
    __section() (include/linux/compiler_attributes.h), as objdump's symbol table gives them."""
    if shutil.which("gcc") is None or shutil.which("objdump") is None:
        pytest.skip("gcc (the C oracle) or objdump is not installed")
    src = tmp_path / "placed.c"
    src.write_text("#define __section(s) __attribute__((__section__(s)))\ntypedef _Bool bool;\n"
                   f"{attribute} sc_done(unsigned long long err, int *left)\n{{\n"
                   "\treturn __builtin_expect(!!(err != 1), 0) || !--*left;\n}\n"
                   "int sc_call(unsigned long long err, int *left)\n{\n\treturn sc_done(err, left);\n}\n")
    subprocess.run(["gcc", "-O0", "-c", "-o", str(tmp_path / "placed.o"), str(src)], check=True)
    table = subprocess.run(["objdump", "-t", str(tmp_path / "placed.o")], check=True, capture_output=True,
                           text=True).stdout
    return " ".join(" ".join(ln.split()[3::2]) for ln in table.splitlines() if ln.endswith(" sc_done"))


@pytest.mark.parametrize("attribute", ["static __section(\".sc.text\") bool", "static bool __section(\".sc.text\")"])
def test_a_helper_whose_name_follows_an_attribute_macro_is_not_passed_over(tmp_path: Path, attribute: str) -> None:
    # The code's reader took __section() for the helper's name: sc_done() and its unlikely() were not read, and
    # the rule passed; then INCONCLUSIVE (the slicer read sc_done's name, but the mirror had no __section()). gcc
    # builds sc_done() in .sc.text, called by the retry: its unlikely() is in the retry's condition, FAIL.
    assert _gcc_places(tmp_path, attribute) == ".sc.text sc_done"
    retry = (f"{attribute} sc_done(u64 err, int *left)\n{{\n\treturn unlikely(err != TDX_RND_NO_ENTROPY) || "
             "!--*left;\n}\n\n" + RETRY_SAFE.replace(COND, "if (sc_done(err, &left))"))
    status, note = _verdict(tmp_path, preparing_series(helpers(retry)))
    assert status is VerdictStatus.FAIL, (status, note)


def test_the_changelogs_trailers_explain_nothing(tmp_path: Path) -> None:
    # A Fixes: trailer quoting an older commit's title, a Link: to a thread: they failed changelog-no-abi-detail.
    base = helpers(RETRY_SAFE)
    msgs = preparing_series(base)
    cover = "gen-cover-v2@example.org"
    log = ("Our own changelog.\n\nFixes: 0123456789ab (\"x86/virt/tdx: Pick P-SEAMLDR leaves by bit 63\")\n"
           "Link: https://lore.example.org/r/the-msb-thread@example.org")
    msgs[2] = message(str(msgs[2]["Subject"]), "gen-2-v2@example.org",
                      patch_body(log, diff(NEW_HOME, base, base.replace("RDRAND_RETRY_LOOPS", "10")))
                      .replace("\n\nSigned-off-by:", "\nSigned-off-by:", 1),  # one trailer block, as git writes it
                      parent=cover, refs=(cover,))
    g = evaluate_gate(GateRequest((write_mbox(tmp_path / "v2.mbox", msgs),), "v2", jobs=1))
    found = next(v for v in g.verdicts if v.rule.id == "changelog-no-abi-detail")
    assert found.status is VerdictStatus.PASS, found
    # The same words in a paragraph of the message, above the trailers: the message explains the ABI.
    prose = log.replace("\n\nFixes:", "\n\nThis fixes", 1)
    msgs[2] = message(str(msgs[2]["Subject"]), "gen-2-v2@example.org",
                      patch_body(prose, diff(NEW_HOME, base, base.replace("RDRAND_RETRY_LOOPS", "10"))),
                      parent=cover, refs=(cover,))
    g = evaluate_gate(GateRequest((write_mbox(tmp_path / "p.mbox", msgs),), "v2", jobs=1))
    assert next(v for v in g.verdicts if v.rule.id == "changelog-no-abi-detail").status is VerdictStatus.FAIL
    # Words git reads as a trailer, in the trailer block: they point nowhere, they are the message's (passed
    # since f5fa42d).
    note = "Our own changelog.\n\nNote: P-SEAMLDR leaves have bit 63 set."
    msgs[2] = message(str(msgs[2]["Subject"]), "gen-2-v2@example.org",
                      patch_body(note, diff(NEW_HOME, base, base.replace("RDRAND_RETRY_LOOPS", "10")))
                      .replace("\n\nSigned-off-by:", "\nSigned-off-by:", 1), parent=cover, refs=(cover,))
    g = evaluate_gate(GateRequest((write_mbox(tmp_path / "n.mbox", msgs),), "v2", jobs=1))
    assert next(v for v in g.verdicts if v.rule.id == "changelog-no-abi-detail").status is VerdictStatus.FAIL


POINTER_MATRIX = demo_matrix()

POINTER_RULES = """\
[[rule]]
id = "no-dump-stack"
reviewer = "R"
summary = "demo_call() does not call dump_stack()"
severity = "error"
[rule.check]
kind = "source"
function = "demo_call"
KEY = ["dump_stack"]
"""

POINTER_CODE = """\
void dump_stack(void);

static void (*demo_hook)(void)INIT;

void demo_setup(void)
{
	SETUP
}

int demo_call(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);

	if (err && demo_hook)
		demo_hook();
	return err ? -EIO : 0;
}
"""


TABLE_CODE = """\
void dump_stack(void);

struct demo_ops {
	void (*dbg)(void);
};

static CONST struct demo_ops demo_table INIT;

void demo_setup(void)
{
	SETUP
}

int demo_call(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);

	if (err)
		demo_table.dbg();
	return err ? -EIO : 0;
}
"""


def _pointer_verdict(tmp_path: Path, code: str, key: str) -> tuple[VerdictStatus, str]:
    from harness.pipeline import EvalRequest, evaluate

    box = write_mbox(tmp_path / "c.mbox", [message("[PATCH] demo: add", "c1@x",
                                                   patch_body("Add.", diff("demo/demo.c", None, code)))])
    (tmp_path / "m.toml").write_text(POINTER_MATRIX)
    rules = POINTER_RULES.replace("KEY", key) + ('reference = "v1:00"\n' if key == "no_new_calls" else "")
    (tmp_path / "rules.toml").write_text(rules)
    ev = evaluate(EvalRequest((box,), variants=("v1:00", "v1"), rules=tmp_path / "rules.toml",
                              matrix=tmp_path / "m.toml"))
    assert ev.judgement is not None
    verdict = ev.judgement.rows[0].verdicts["v1"]
    return verdict.status, verdict.note


@pytest.mark.parametrize(("code", "status"), [
    (POINTER_CODE.replace("INIT", " = dump_stack").replace("SETUP", ""), VerdictStatus.FAIL),
    # set at run time by code no entry point reaches: not followed
    (POINTER_CODE.replace("INIT", "").replace("SETUP", "demo_hook = dump_stack;"), VerdictStatus.INCONCLUSIVE),
    (TABLE_CODE.replace("CONST", "const").replace("INIT", " = { .dbg = dump_stack }").replace("SETUP", ""),
     VerdictStatus.FAIL),
    (TABLE_CODE.replace("CONST ", "").replace("INIT", "").replace("SETUP", "demo_table.dbg = dump_stack;"),
     VerdictStatus.INCONCLUSIVE),
], ids=["pointer initialised", "pointer set at run time", "const table", "table filled at run time"])
@pytest.mark.parametrize("key", ["not_referencing", "no_new_calls"])
def test_a_call_through_a_file_scope_pointer_never_passes(tmp_path: Path, code: str, status: VerdictStatus,
                                                          key: str) -> None:
    # demo_call() calls dump_stack() through a file-scope pointer or table of functions: both rules passed (READY,
    # exit 0).
    found, note = _pointer_verdict(tmp_path, code, key)
    assert found is status, note
