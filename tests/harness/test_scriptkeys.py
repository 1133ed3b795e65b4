"""A script turning a static key on (harness.scriptkeys): the gate decides where it ran; gcc the oracle.

A ``static DEFINE_STATIC_KEY_FALSE()`` that a retry loop tests: with no script turning it on, no run takes the part
of the test it guards, and the gate is INCONCLUSIVE ("... always came out false"). A script of the rule's own that
turns it on runs it: gcc, with the key on, issues the P-SEAMLDR's leaf twice after its "no entropy" answer, and the
gate says FAIL. A script the rule does not select that turns it on shows nothing of the rule's runs, which start with
the key as defined (harness.runcover.started_alike): still INCONCLUSIVE, never a pass. A key no file defines is a
one-line error at the line naming it, exit status 2."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from harness.cli import app
from harness.gate import GateRequest, evaluate_gate
from harness.scriptkeys import key_defined
from harness.verdict import VerdictStatus
from tests.harness.seriesgen import preparing_series
from tests.harness.test_retry_code_set_outside import PREAMBLE, PRINTERS, RULE, TAIL
from tests.harness.test_retry_code_static_key import KEYED, SETTER, _gcc_calls
from tests.mailgen import write_mbox

ADD = ('[codes]\nSEAMLDR_RND_NO_ENTROPY = 0x8000000000030001\n\n[[script]]\nname = "{name}"\n'
       'answers = ["SEAMLDR_RND_NO_ENTROPY", "SUCCESS"]\nstatic_keys_on = ["{key}"]\n')


def _gate(tmp_path: Path, setter: str, name: str, key: str = "sc_seamldr_busy") -> tuple[VerdictStatus, str]:
    code = KEYED.format(kind="FALSE", storage="static ", setter=setter)
    mbox = write_mbox(tmp_path / "v2.mbox", preparing_series(PREAMBLE + code + "\n" + PRINTERS + TAIL))
    add = tmp_path / "keys.toml"
    add.write_text(ADD.format(name=name, key=key))
    gate = evaluate_gate(replace(GateRequest((mbox,), "v2", jobs=1, cache=None), matrix_add=(add,)))
    (v,) = [v for v in gate.verdicts if v.rule.id == RULE]
    return v.status, v.note


@pytest.mark.parametrize(("setter", "name", "want", "said"), [
    # Before: INCONCLUSIVE, "... always came out false" (the scripts could not set a key).
    ("", "seamldr-no-entropy-keyed", VerdictStatus.FAIL, ""),
    (SETTER, "seamldr-no-entropy-keyed", VerdictStatus.FAIL, ""),
    # Not the rule's script: its run with the key on says nothing of the rule's runs.
    ("", "busy-keyed", VerdictStatus.INCONCLUSIVE, "&sc_seamldr_busy) &&') always came out false in v2"),
], ids=["rules-script", "rules-script-with-hook", "other-script"])
def test_a_script_turning_the_key_on_decides_the_rule(tmp_path: Path, setter: str, name: str, want: VerdictStatus,
                                                      said: str) -> None:
    code = KEYED.format(kind="FALSE", storage="static ", setter=SETTER)
    assert _gcc_calls(tmp_path, code, True) == [1, 2]  # off as defined: 1 SEAMCALL; on: retried
    status, note = _gate(tmp_path, setter, name)
    assert status is want, note
    assert said in note, note


def test_a_key_no_file_defines_is_refused_at_its_line(tmp_path: Path) -> None:
    code = KEYED.format(kind="FALSE", storage="static ", setter="")
    mbox = write_mbox(tmp_path / "v2.mbox", preparing_series(PREAMBLE + code + "\n" + PRINTERS + TAIL))
    add = tmp_path / "keys.toml"
    add.write_text(ADD.format(name="seamldr-no-entropy-keyed", key="sc_seamldr_bsy"))
    out = CliRunner().invoke(app, ["gate", str(mbox), "--variant", "v2", "--matrix-add", str(add), "--no-cache"])
    assert out.exit_code == 2, out.output
    assert f"{add}:7: static key sc_seamldr_bsy: no file of the code run defines it" in out.output, out.output
    assert "Traceback" not in out.output


@pytest.mark.parametrize(("decl", "refused"), [
    ("static int sc_seamldr_quiet;", True),
    ("static u64 __read_mostly sc_seamldr_quiet = 1;", True),
    ("static struct static_key_false sc_seamldr_quiet[2];", True),
    ("static DEFINE_STATIC_KEY_TRUE(sc_seamldr_quiet);", False),
    # Before: the three below were let through at the matrix's line (the mirror refused only a run reading the
    # object, and said nothing where none did): the typedef is read through its definition, a declarator list's
    # name has the list's specifiers, as gcc reads them.
    ("typedef int sc_quiet_t;\nstatic sc_quiet_t sc_seamldr_quiet;", True),
    ("static int sc_seamldr_loud, sc_seamldr_quiet;", True),
    ("typedef u32 sc_word_t;\ntypedef sc_word_t sc_quiet_t;\nstatic sc_quiet_t sc_seamldr_loud = 1, sc_seamldr_quiet;",
     True),
    ("typedef struct static_key_false sc_key_t;\nstatic sc_key_t sc_seamldr_quiet = STATIC_KEY_FALSE_INIT;", False),
    ("static struct static_key_false sc_seamldr_loud, sc_seamldr_quiet = STATIC_KEY_FALSE_INIT;", False),
    # Before: the five below were let through at the matrix's line (key_defined() did not read them): the prelude's
    # typedef (include/linux/types.h), an attribute macro before the name, an anonymous struct, read as gcc does.
    ("static uintptr_t sc_seamldr_quiet;", True),
    ("static int __aligned(8) sc_seamldr_quiet;", True),
    ("static struct { int on; } sc_seamldr_loud, sc_seamldr_quiet;", True),
    ("static struct static_key_false __aligned(8) sc_seamldr_quiet = STATIC_KEY_FALSE_INIT;", False),
    ("static struct static_key_false sc_seamldr_loud __aligned(8), sc_seamldr_quiet = STATIC_KEY_FALSE_INIT;", False),
    # Before: the four refused below were let through (key_defined() read the invocation, not its expansion), and the
    # runs went on with the script's word unused: read as the invocation expands, as gcc's cpp does.
    ("#define SC_INT(n) int n\nstatic SC_INT(sc_seamldr_quiet);", True),
    ("#define SC_DEF(t, n) static t n\nSC_DEF(struct static_key_false *, sc_seamldr_quiet);", True),
    ("#define SC_TWO(n) DEFINE_STATIC_KEY_FALSE(sc_seamldr_loud); static int n\nSC_TWO(sc_seamldr_quiet);", True),
    ("static DEFINE_PER_CPU(int, sc_seamldr_quiet);", True),
    ("#define SC_KEY(n) DEFINE_STATIC_KEY_FALSE(n)\nstatic SC_KEY(sc_seamldr_quiet);", False),
    ("#define SC_K(n) static struct static_key_false n = STATIC_KEY_FALSE_INIT\nSC_K(sc_seamldr_quiet);", False),
    # Before: both refused as "no file of the code run defines it" (an object-like macro alone at file scope was
    # not expanded): read as cpp expands it (C11 6.10.3p9).
    ("#define SC_KEYS DEFINE_STATIC_KEY_FALSE(sc_seamldr_quiet)\nstatic SC_KEYS;", False),
    ("#define SC_INTS int sc_seamldr_quiet\nstatic SC_INTS;", True),
], ids=["int", "u64", "array", "key", "typedef", "list", "typedef-of-typedef", "typedef-key", "list-key",
        "prelude-typedef", "aligned-int", "anonymous-struct", "aligned-key", "aligned-list-key", "macro-int",
        "macro-pointer", "macro-two", "per-cpu-int", "macro-key", "macro-struct-key", "object-macro-key",
        "object-macro-int"])
def test_a_name_defined_as_no_static_key_is_refused_at_its_line(tmp_path: Path, decl: str, refused: bool) -> None:
    # Before: accepted, and never applied (the runs read the variable as defined).
    said = "static key sc_seamldr_quiet: the code run defines sc_seamldr_quiet as no static key"
    out, add = _gate_keyed(tmp_path, decl)
    assert (out.exit_code == 2, f"{add}:7: {said}" in out.output) == (refused, refused), out.output
    assert "Traceback" not in out.output


@pytest.mark.parametrize("decl", [
    "#define SC_KEYS DEFINE_STATIC_KEY_FALSE(sc_seamldr_quiet)\n#undef SC_KEYS\nstatic SC_KEYS;",
    "static SC_KEYS;\n#define SC_KEYS DEFINE_STATIC_KEY_FALSE(sc_seamldr_quiet)",
    "#if 0\n#define SC_KEYS DEFINE_STATIC_KEY_FALSE(sc_seamldr_quiet)\n#endif\nstatic SC_KEYS;",
], ids=["undef-between", "defined-after", "if-0"])
def test_an_object_like_macro_not_in_force_defines_no_key(tmp_path: Path, decl: str) -> None:
    # cpp leaves SC_KEYS as it is there (an int named SC_KEYS): no file defines the script's key.
    out, add = _gate_keyed(tmp_path, decl)
    assert out.exit_code == 2, out.output
    assert f"{add}:7: static key sc_seamldr_quiet: no file of the code run defines it" in out.output, out.output


def _gate_keyed(tmp_path: Path, decl: str) -> tuple[Result, Path]:
    """`gate --variant v2 --matrix-add keys.toml` of a series whose code holds ``decl``, keys.toml's script turning
    sc_seamldr_quiet on (line 7)."""
    code = KEYED.format(kind="FALSE", storage="static ", setter=decl)
    mbox = write_mbox(tmp_path / "v2.mbox", preparing_series(PREAMBLE + code + "\n" + PRINTERS + TAIL))
    add = tmp_path / "keys.toml"
    add.write_text(ADD.format(name="seamldr-no-entropy-keyed", key="sc_seamldr_quiet"))
    return CliRunner().invoke(app, ["gate", str(mbox), "--variant", "v2", "--matrix-add", str(add), "--no-cache"]), add


@pytest.mark.parametrize("decl", ["static sc_nowhere_t sc_seamldr_quiet;",
                                  "#define SC_T(n) sc_nowhere_t n\nstatic SC_T(sc_seamldr_quiet);"])
def test_a_key_of_a_type_no_file_defines_is_refused_at_its_line(tmp_path: Path, decl: str) -> None:
    # Before: let through, the run refused where it read the key (sc_nowhere_t: gcc, "unknown type name"); the
    # files' macro's form was let through until the key's refusal read its expansion.
    out, add = _gate_keyed(tmp_path, decl)
    assert out.exit_code == 2, out.output
    assert f"{add}:7: static key sc_seamldr_quiet: its definition at " in out.output, out.output
    assert "is of a type not known from the code run" in out.output and "Traceback" not in out.output


@pytest.mark.parametrize(("text", "want"), [
    ("static DEFINE_STATIC_KEY_FALSE_RO(k);", True),
    ("struct static_key_true k __ro_after_init = STATIC_KEY_TRUE_INIT;", True),
    ("static struct static_key k = STATIC_KEY_INIT_FALSE;", True),
    ("static DEFINE_STATIC_KEY_FALSE(kk);", None),  # another name's: k is not this definition's object
    ("static unsigned long k = 3;", False),
    ("static struct foo k = {};", False),
    ("static struct static_key *k;", False),
    ("MY_KEY(k);", None),
    ("int a, k;", False),  # a declarator list: its specifiers, the name's own pointers (C11 6.7)
    ("int *a = 0, k;", False),
    ("static int a[3] = {1, 2, 3}, k = 4;", False),
    ("struct static_key_false a = STATIC_KEY_FALSE_INIT, k = STATIC_KEY_FALSE_INIT;", True),
    ("static struct static_key_true a, *k;", False),
    ("static struct { int x, y; } a = { 1, 2 }, k;", False),  # an anonymous struct (before: None)
    ("static struct static_key_false a __aligned(8), k;", True),  # the prelude's attribute macro (before: None)
    ("static struct static_key_false __aligned(8) k;", True),
    ("static int __attribute__((unused)) k;", False),
    ("static uintptr_t k;", False),  # the prelude's typedef (include/linux/types.h; before: None)
    ("static skf_t k;", True),  # typedefs, read through TYPEDEFS
    ("static skf_t a[2], k;", True),
    ("static skf_t k[2];", False),
    ("static sk2_t k;", True),
    ("static skp_t k;", False),
    ("static q_t k;", False),
    ("static ka_t k;", False),
    ("static two_t k;", None),  # two definitions that disagree
    ("static unknown_t k;", None),
])
def test_key_defined_reads_the_definition_text(text: str, want: bool | None) -> None:
    assert key_defined("k", text, TYPEDEFS) is want


def test_a_typedef_the_files_do_not_define_is_not_known() -> None:
    assert key_defined("k", "static skf_t k;") is None
    assert key_defined("k", "static skf_t k;", {"skf_t": ()}) is None


TYPEDEFS = {"skf_t": ("typedef struct static_key_false skf_t;",), "q_t": ("typedef int q_t;",),
            "sk2_t": ("typedef skf_t sk2_t, *skp_t;",), "skp_t": ("typedef skf_t sk2_t, *skp_t;",),
            "two_t": ("typedef int two_t;", "typedef struct static_key two_t;"),
            "ka_t": ("typedef struct static_key_true ka_t[2];",)}


def test_the_busy_key_a_macro_of_the_files_defines_decides_the_rule_and_a_plain_int_is_refused(tmp_path: Path
                                                                                              ) -> None:
    # gcc: the key defined through the files' macro is the same key: 1 SEAMCALL as built, 2 once turned on; the
    # rule's script turns it on: FAIL, as for DEFINE_STATIC_KEY_FALSE() written out. The same macro writing a plain
    # int is refused at the script's matrix line, exit 2, no JSON (before: exit 1, the runs failing on it,
    # INCONCLUSIVE).
    keyed = KEYED.format(kind="FALSE", storage="static ", setter=SETTER)
    code = keyed.replace("static DEFINE_STATIC_KEY_FALSE(sc_seamldr_busy);",
                         "#define SC_KEY(n) DEFINE_STATIC_KEY_FALSE(n)\nstatic SC_KEY(sc_seamldr_busy);")
    assert _gcc_calls(tmp_path, code, True) == [1, 2]
    for decl, status in (("#define SC_KEY(n) DEFINE_STATIC_KEY_FALSE(n)\nstatic SC_KEY(sc_seamldr_busy);", 1),
                         ("#define SC_INT(n) int n\nstatic SC_INT(sc_seamldr_busy);", 2)):
        where = tmp_path / str(status)
        where.mkdir()
        code = KEYED.format(kind="FALSE", storage="static ", setter="").replace(
            "static DEFINE_STATIC_KEY_FALSE(sc_seamldr_busy);", decl)
        mbox = write_mbox(where / "v2.mbox", preparing_series(PREAMBLE + code + "\n" + PRINTERS + TAIL))
        add = where / "keys.toml"
        add.write_text(ADD.format(name="seamldr-no-entropy-keyed", key="sc_seamldr_busy"))
        out = CliRunner().invoke(app, ["gate", str(mbox), "--variant", "v2", "--matrix-add", str(add), "--no-cache",
                                       "--json", str(where / "out.json")])
        assert out.exit_code == status, out.output
        assert (where / "out.json").exists() == (status == 1), out.output
        if status == 2:
            assert f"{add}:7: static key sc_seamldr_busy: the code run defines sc_seamldr_busy as no static key" in \
                out.output, out.output
        else:
            rules = json.loads((where / "out.json").read_text())["rules"]
            assert [r["verdict"] for r in rules if r["id"] == RULE] == ["fail"], out.output
