"""Review rules on exported symbols: exports read as the preprocessor reads them, new ones and their flavour."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.checks import SPECS
from harness.cli import app
from harness.errors import InputError
from harness.exports import scan_variant
from harness.filestate import full_file
from harness.pipeline import EvalRequest, evaluate
from harness.rules import load_rules
from harness.variants import Variant
from harness.verdict import Verdict
from tests.gitoracle import init_repo
from tests.harness.exportgen import EXP_C, EXP_H, MATRIX, OTHER_C, Files, rule, series

FIRST: Files = {"demo/exp.c": EXP_C, "demo/exp.h": EXP_H, "demo/other.c": OTHER_C}
DEMO_B = "\nint demo_b(void)\n{\n\treturn 2;\n}\nEXPORT_SYMBOL(demo_b);\n"
NO_NEW = 'no_new_exports = true\nreference = "before:patch"'
# Against the state before 02/2 alone: with before:patch, 01/2's new export (demo_a) leaves the rule inconclusive
# wherever 02/2 exports demo_a otherwise or elsewhere (gate and eval of every state alike; a pass only where eval was
# narrowed past v1:00, which is inconclusive now).
NO_NEW_AGAINST_01 = 'no_new_exports = true\nreference = "v1:01"'


def _verdict(tmp: Path, second: Files, check: str, first: Files = FIRST, tree: Path | None = None,
             variant: str = "v1") -> Verdict:
    """The rule's verdict on ``variant`` of the two-patch series (tests.harness.exportgen)."""
    tmp.mkdir(parents=True, exist_ok=True)
    box = series(tmp, first, second)
    (tmp / "m.toml").write_text(MATRIX)
    (tmp / "r.toml").write_text(rule(check))
    # Every state a before:patch rule reads, v1:00 too: eval narrowed without one is inconclusive there.
    ev = evaluate(EvalRequest((box,), variants=("v1", "v1:00", "v1:01", "v1:02"), rules=tmp / "r.toml",
                              matrix=tmp / "m.toml", tree=tree))
    assert ev.judgement is not None
    return ev.judgement.rows[0].verdicts[variant]


def test_the_scan_reads_exports_as_the_preprocessor_does() -> None:
    code = ('#include "w.h"\nEXPORT_SYMBOL_GPL(a);\nEXPORT_SYMBOL_FOR_KVM(b);\nWRAP(c);\n'
            'static int f(void)\n{\n\tEXPORT_SYMBOL(not_at_file_scope);\n}\n#define ALIAS EXPORT_SYMBOL\nALIAS(d);\n'
            '#define GLUE(x, y) x##y\nGLUE(EXPORT_SYMBOL, _NS_GPL)(e, "CXL");\nEXPORT_STATIC_CALL_GPL(sc);\n'
            'EXPORT_FROM_NOWHERE(f);\n#define DEFAULT_SYMBOL_NAMESPACE "DEMO"\nEXPORT_SYMBOL(g);\n')
    header = ('#ifndef W_H\n#define W_H\n#if IS_ENABLED(CONFIG_KVM_INTEL)\n#define WRAP(s) EXPORT_SYMBOL_FOR_KVM(s)\n'
              '#else\n#define WRAP(s) EXPORT_SYMBOL(s)\n#endif\n#endif\n')
    v = Variant("v", "test", (full_file("d/a.c", code, "t"), full_file("d/w.h", header, "t")), (), (), (), "t")
    scan = scan_variant(v)
    got = {(e.symbol, e.macro, e.flavour, e.line) for e in scan.exports}
    assert got == {
        ("a", "EXPORT_SYMBOL_GPL", "GPL-only, to every module", 2),
        ("b", "EXPORT_SYMBOL_FOR_KVM", "GPL-only, to modules kvm, kvm-amd, kvm-intel", 3),
        # Both branches of the header's #if: some configuration builds each.
        ("c", "WRAP -> EXPORT_SYMBOL_FOR_KVM", "GPL-only, to modules kvm, kvm-amd, kvm-intel", 4),
        ("c", "WRAP -> EXPORT_SYMBOL", "any licence, to every module", 4),
        # In a function body too: gcc builds it there (test_gcc_exports_from_a_function_body).
        ("not_at_file_scope", "EXPORT_SYMBOL", "any licence, to every module", 7),
        ("d", "ALIAS -> EXPORT_SYMBOL", "any licence, to every module", 10),
        ("e", "GLUE -> EXPORT_SYMBOL_NS_GPL", "GPL-only, namespace CXL", 12),
        ("__SCK__sc", "EXPORT_STATIC_CALL_GPL", "GPL-only, to every module", 13),
        ("__SCT__sc", "EXPORT_STATIC_CALL_GPL", "GPL-only, to every module", 13),
        ("g", "EXPORT_SYMBOL", "any licence, namespace DEMO", 16),
    }
    assert scan.unknown == (("EXPORT_FROM_NOWHERE", "d/a.c:14"),)


def test_a_new_export_fails_naming_its_macro_place_and_patch(tmp_path: Path) -> None:
    got = _verdict(tmp_path, {"demo/exp.c": EXP_C + DEMO_B}, NO_NEW)
    assert got.status == "fail", got
    (e,) = got.evidence
    assert e.where == "demo/exp.c:15"
    assert e.actual == "demo_b exported with EXPORT_SYMBOL (any licence, to every module), added by v1 02/2 <e2@x>"
    assert e.expected == "no symbol exported that v1:01 does not export"


def test_the_same_exports_pass(tmp_path: Path) -> None:
    second = {"demo/exp.c": EXP_C.replace("x + 1", "x + 2")}
    got = _verdict(tmp_path, second, NO_NEW)
    assert got.status == "pass", got
    assert got.note.startswith("1 exported symbol read; against v1:01: 0 new, 0 exported otherwise"), got.note


def test_gpl_made_non_gpl_fails_the_flavour_rule_and_is_no_new_export(tmp_path: Path) -> None:
    second = {"demo/exp.c": EXP_C.replace("EXPORT_SYMBOL_GPL(demo_a)", "EXPORT_SYMBOL(demo_a)")}
    only = 'exports_only = ["EXPORT_SYMBOL_GPL", "EXPORT_SYMBOL_FOR_KVM"]\nreference = "before:patch"'
    got = _verdict(tmp_path / "only", second, only)
    assert got.status == "fail", got
    assert got.evidence[0].expected == "exported only with EXPORT_SYMBOL_GPL or EXPORT_SYMBOL_FOR_KVM"
    assert got.evidence[0].actual.startswith("demo_a exported with EXPORT_SYMBOL (any licence"), got.evidence
    assert _verdict(tmp_path / "new", second, NO_NEW_AGAINST_01).status == "pass"
    # Made KVM-only instead: what the flavour rule asks for.
    kvm = {"demo/exp.c": EXP_C.replace("EXPORT_SYMBOL_GPL(demo_a)", "EXPORT_SYMBOL_FOR_KVM(demo_a)")}
    assert _verdict(tmp_path / "kvm", kvm, only).status == "pass"
    to_kvm = 'exports_to = "kvm,kvm-*"\nreference = "v1:01"'  # as NO_NEW_AGAINST_01
    assert _verdict(tmp_path / "to", kvm, to_kvm).status == "pass"
    got = _verdict(tmp_path / "to-host", {"demo/exp.c": EXP_C.replace(
        "EXPORT_SYMBOL_GPL(demo_a)", 'EXPORT_SYMBOL_FOR_MODULES(demo_a, "kvm-intel,demo-host")')}, to_kvm)
    assert got.status == "fail" and got.evidence[0].actual.endswith(": also to demo-host"), got


def test_an_export_moved_to_another_file_is_not_new(tmp_path: Path) -> None:
    second = {"demo/exp.c": EXP_C.replace("EXPORT_SYMBOL_GPL(demo_a);\n", ""),
              "demo/other.c": OTHER_C + "EXPORT_SYMBOL_GPL(demo_a);\n"}
    got = _verdict(tmp_path, second, NO_NEW_AGAINST_01)
    assert got.status == "pass", got


def test_an_export_through_the_series_own_wrapper_is_seen(tmp_path: Path) -> None:
    header = EXP_H.replace("#endif", "#define DEMO_EXPORT(sym) EXPORT_SYMBOL(sym)\n#endif")
    second = {"demo/exp.h": header, "demo/exp.c": EXP_C + DEMO_B.replace("EXPORT_SYMBOL(", "DEMO_EXPORT(")}
    got = _verdict(tmp_path, second, NO_NEW)
    assert got.status == "fail", got
    assert got.evidence[0].actual.startswith("demo_b exported with DEMO_EXPORT -> EXPORT_SYMBOL (any licence"), got


OLD = ("// SPDX-License-Identifier: GPL-2.0\n#include <linux/export.h>\n\n#define DEMO_EXPORT(sym)\n\n"
       + "".join(f"int demo_{n}(void)\n{{\n\treturn {n};\n}}\n\n" for n in range(8)) + "DEMO_EXPORT(demo_7);\n")


def test_a_file_known_in_fragments_is_inconclusive_never_a_pass(tmp_path: Path) -> None:
    # A file no patch creates, without --tree: only the hunks' lines are known.
    old: Files = {"demo/old.c": OLD}
    new: Files = {"demo/old.c": OLD.replace("return 0;", "return 10;")}
    got = _fragments(tmp_path / "all", old, new, 'exports_only = "EXPORT_SYMBOL_GPL"')
    assert got.status == "inconclusive" and "demo/old.c known only from hunks" in got.note, got
    # The wrapper becomes an export; its use (line 46) is in no hunk.
    wrapped: Files = {"demo/old.c": OLD.replace("#define DEMO_EXPORT(sym)\n",
                                                "#define DEMO_EXPORT(sym) EXPORT_SYMBOL(sym)\n")}
    got = _fragments(tmp_path / "wrap", old, wrapped, NO_NEW.replace("before:patch", "v1:00"))
    assert got.status == "inconclusive", got
    assert "DEMO_EXPORT() is defined otherwise than in v1:00 (demo/old.c:4)" in got.note, got.note
    # With the tree, the whole file is read: the use is found, and put down to the patch changing the wrapper.
    tree = init_repo(tmp_path / "linux", old)
    got = _fragments(tmp_path / "tree", old, wrapped, NO_NEW.replace("before:patch", "v1:00"), tree=tree)
    assert got.status == "fail", got
    assert got.evidence[0].where == "demo/old.c:46"
    assert got.evidence[0].actual.startswith("demo_7 exported with DEMO_EXPORT -> EXPORT_SYMBOL"), got
    assert got.evidence[0].actual.endswith("added by v1 01/1 <f1@x>"), got


def _fragments(tmp: Path, old: Files, new: Files, check: str, tree: Path | None = None) -> Verdict:
    """The rule on v1 of a one-patch series changing files ``old`` (which the base has) into ``new``."""
    from tests.mailgen import diff, message, patch_body, write_mbox

    tmp.mkdir(parents=True, exist_ok=True)
    text = "".join(diff(p, old[p], t) for p, t in new.items())
    box = write_mbox(tmp / "s.mbox", [message("[PATCH] demo: change the old code", "f1@x", patch_body("C.", text))])
    (tmp / "m.toml").write_text(MATRIX)
    (tmp / "r.toml").write_text(rule(check, title="change the old code"))
    ev = evaluate(EvalRequest((box,), variants=("v1", "v1:00"), rules=tmp / "r.toml", matrix=tmp / "m.toml",
                              tree=tree))
    assert ev.judgement is not None
    return ev.judgement.rows[0].verdicts["v1"]


@pytest.mark.parametrize(("check", "said"), [
    ("no_new_export = true\nreference = \"base\"", "unknown key 'rule.check.no_new_export' (did you mean "
                                                   "'no_new_exports'?)"),
    ('exports_only = ["EXPORT_SYMBOL_GLP"]', "unknown kernel export macro in 'rule.check.exports_only' "
                                             "'EXPORT_SYMBOL_GLP' (did you mean 'EXPORT_SYMBOL_GPL'?)"),
    ("no_new_exports = true", "no_new_exports needs 'reference'"),
    ('exports_to = "kvm intel"', "'rule.check.exports_to' 'kvm intel' is not a module name"),
    ('function = "f"\nno_new_calls = ["g"]\nexports_to = "kvm"', "give them in a rule of their own"),
])
def test_bad_export_keys_are_refused_with_file_and_line(tmp_path: Path, check: str, said: str) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(rule(check))
    with pytest.raises(InputError) as exc:
        load_rules(path, SPECS)
    line = 1 if "rule of their own" in said else 8
    assert str(exc.value).startswith(f"{path}:{line}: "), str(exc.value)
    assert said in str(exc.value), str(exc.value)


def test_the_gate_renders_an_export_verdict_in_json_and_junit(tmp_path: Path) -> None:
    box = series(tmp_path, FIRST, {"demo/exp.c": EXP_C + DEMO_B})
    (tmp_path / "m.toml").write_text(MATRIX)
    (tmp_path / "r.toml").write_text(rule(NO_NEW))
    out = CliRunner().invoke(app, ["gate", str(box), "--variant", "v1", "--rules", str(tmp_path / "r.toml"),
                                   "--matrix", str(tmp_path / "m.toml"), "--json", str(tmp_path / "g.json"),
                                   "--junit", str(tmp_path / "g.xml")])
    assert out.exit_code == 1, out.output
    shown = out.output.replace("\n      ", " ")
    assert "demo/exp.c:15: expected no symbol exported that v1:01 does not export" in shown
    (row,) = json.loads((tmp_path / "g.json").read_text())["rules"]
    assert row["verdict"] == "fail" and "demo_b exported with EXPORT_SYMBOL" in row["evidence"][0]["actual"]
    assert 'type="fail"' in (tmp_path / "g.xml").read_text()


def test_the_corpus_keeps_its_one_export_and_narrows_it_to_named_modules(corpus: Path, tmp_path: Path) -> None:
    # v3 04/26 turns EXPORT_SYMBOL_FOR_KVM(tdx_get_sysinfo) into EXPORT_SYMBOL_FOR_MODULES(..., "kvm-intel,tdx-host").
    rules = tmp_path / "r.toml"
    rules.write_text(rule(NO_NEW, title='tdx_host\\" device', rid="no-new")
                     + rule('exports_to = ["kvm", "kvm-*"]\nreference = "before:patch"', title='tdx_host\\" device',
                            rid="kvm-only"))
    # The states before 04/26 too: without them, whether 01-03 change the exports is not known (inconclusive).
    ev = evaluate(EvalRequest((corpus,), variants=("v3:00", "v3:01", "v3:02", "v3:03", "v3:04"), rules=rules))
    assert ev.judgement is not None
    got = {row.rule.id: row.verdicts["v3:04"] for row in ev.judgement.rows}
    assert got["no-new"].status == "pass", got["no-new"]
    assert got["kvm-only"].status == "fail", got["kvm-only"]
    (e,) = got["kvm-only"].evidence
    assert e.where.startswith("arch/x86/virt/vmx/tdx/tdx.c:") and e.actual.endswith(": also to tdx-host"), e


def test_hostile_macros_are_bounded_and_said() -> None:
    deep = "#define W(x) EXPORT_SYMBOL(x)\n" + "W(" * 3000 + "a" + ")" * 3000 + ";\n"
    chain = "".join(f"#define A{i} A{i + 1}\n" for i in range(1500)) + "#define A1500 EXPORT_SYMBOL\nA0(z);\n"
    scans = [scan_variant(Variant("v", "t", (full_file(path, text, "t"),), (), (), (), "t"))
             for path, text in (("h/deep.c", deep), ("h/chain.c", chain))]
    assert scans[0].unread == {"h/deep.c": "line 2: macro invocations nested past 200 deep"}
    assert [(e.symbol, e.macro) for e in scans[1].exports] == [("z", "A0 -> " + " -> ".join(
        f"A{i}" for i in range(1, 1501)) + " -> EXPORT_SYMBOL")]


# -- what the kernel builds, not what the names suggest --------------------------------------------------------

def test_an_export_inside_a_function_body_is_an_export(tmp_path: Path) -> None:
    # gcc builds EXPORT_SYMBOL() in a function body (its asm() and __ADDRESSABLE are allowed there) and the
    # .export_symbol entry it makes is what modpost exports: it passed no_new_exports, unseen.
    second = {"demo/exp.c": EXP_C + "\nint demo_b(void)\n{\n\tEXPORT_SYMBOL(demo_b);\n\treturn 2;\n}\n"}
    got = _verdict(tmp_path, second, NO_NEW)
    assert got.status == "fail", got
    assert got.evidence[0].where == "demo/exp.c:13", got.evidence


def test_a_gpl_macro_whose_kernel_insides_the_file_redefines_is_not_gpl_only(tmp_path: Path) -> None:
    redefined = ('#undef _EXPORT_SYMBOL\n#define _EXPORT_SYMBOL(sym, license) __EXPORT_SYMBOL(sym, "", "")\n'
                 + DEMO_B.replace("EXPORT_SYMBOL(", "EXPORT_SYMBOL_GPL("))
    got = _verdict(tmp_path, {"demo/exp.c": EXP_C + redefined}, 'exports_only = ["EXPORT_SYMBOL_GPL"]\n'
                                                                 'reference = "before:patch"')
    assert got.status == "fail", got
    assert got.evidence[0].actual.startswith("demo_b exported with EXPORT_SYMBOL_GPL (any licence"), got.evidence


def test_modules_named_by_a_macro_no_file_defines_are_not_known(tmp_path: Path) -> None:
    to_kvm = 'exports_to = ["kvm"]\nreference = "before:patch"'
    second = {"demo/exp.c": EXP_C + DEMO_B.replace("EXPORT_SYMBOL(demo_b)",
                                                   "EXPORT_SYMBOL_FOR_MODULES(demo_b, DEMO_USERS)")}
    got = _verdict(tmp_path / "unknown", second, to_kvm)
    assert got.status == "inconclusive", got  # it passed: "module:" and nothing after it, read as no module
    assert "demo_b (EXPORT_SYMBOL_FOR_MODULES at demo/exp.c:15) is exported with DEMO_USERS, which no file " \
           "read defines" in got.note, got.note
    known = {"demo/exp.c": '#define DEMO_USERS "kvm,demo-host"\n' + second["demo/exp.c"]}
    got = _verdict(tmp_path / "known", known, to_kvm)
    assert got.status == "fail" and got.evidence[0].actual.endswith(": also to demo-host"), got


def test_a_function_no_file_names_leaves_an_export_rule_inconclusive(tmp_path: Path) -> None:
    got = _verdict(tmp_path / "typo", {"demo/exp.c": EXP_C + DEMO_B}, NO_NEW + '\nfunction = "demo_bb"')
    assert got.status == "inconclusive" and "nothing in v1:02's files names demo_bb" in got.note, got
    got = _verdict(tmp_path / "there", {"demo/exp.c": EXP_C + DEMO_B}, NO_NEW + '\nfunction = "demo_a"')
    assert got.status == "pass", got


# include/linux/export.h's shape since v6.5 (our own spelling): the export is an .export_symbol entry, which
# modpost reads whatever function or file scope the asm() came from.
_EXPORT_H = r"""
#define __stringify_1(x...) #x
#define __stringify(x...) __stringify_1(x)
#define ___EXPORT_SYMBOL(sym, license, ns) .section ".export_symbol","a" ; __export_symbol_##sym: ; \
	.asciz license ; .asciz ns ; .balign 8 ; .quad sym ; .previous
#define __EXPORT_SYMBOL(sym, license, ns) extern typeof(sym) sym; asm(__stringify(___EXPORT_SYMBOL(sym, license, ns)))
#define EXPORT_SYMBOL(sym) __EXPORT_SYMBOL(sym, "", "")
"""


def test_gcc_exports_from_a_function_body(tmp_path: Path) -> None:
    import shutil
    import subprocess

    if shutil.which("gcc") is None or shutil.which("nm") is None:
        pytest.skip("no gcc or nm")
    src = tmp_path / "t.c"
    src.write_text(_EXPORT_H + "int demo_b(void)\n{\n\tEXPORT_SYMBOL(demo_b);\n\treturn 2;\n}\n")
    subprocess.run(["gcc", "-O2", "-c", str(src), "-o", str(tmp_path / "t.o")], check=True)
    symbols = subprocess.run(["nm", str(tmp_path / "t.o")], check=True, capture_output=True, text=True).stdout
    assert "__export_symbol_demo_b" in symbols


def test_rules_without_export_keys_never_load_the_export_preprocessor(tmp_path: Path) -> None:
    # Its tables cost a command's start-up; only a rules file that reads exports pays for them. The tokenizer
    # (harness.cppscan) is no longer the exports' alone: the retry rule expands the files' macros with it
    # (harness.macrostores, 8701050a), so a series with #defines loads it whatever the rules file.
    from tests.harness.seriesgen import eval_modules, moving_series
    from tests.mailgen import write_mbox

    mbox = write_mbox(tmp_path / "s.mbox", moving_series(faithful=True))
    loaded = eval_modules(tmp_path, mbox, tmp_path / "r.json",
                          "m in ('harness.exports', 'harness.exportcheck', 'harness.codechecks')")
    assert loaded == ["harness.codechecks"]  # the rules ran, exports unread
    assert (tmp_path / "r.json").is_file()


def test_a_dropped_title_s_export_is_judged_right_after_the_patches_that_make_it(tmp_path: Path) -> None:
    # v2 drops "export demo_b" and makes its change in two patches of other titles, then exports demo_c for its own
    # purpose. The check judged the whole of v2 (the place had no last patch), demo_c put down to the rule's change.
    from tests.mailgen import diff, message, patch_body, write_mbox

    with_b = EXP_C + DEMO_B.replace("EXPORT_SYMBOL(demo_b);\n", "")
    exported = EXP_C + DEMO_B
    with_c = exported + DEMO_B.replace("demo_b", "demo_c").replace("2", "3")
    one = "".join(diff(p, None, t) for p, t in FIRST.items() if t is not None)

    def rev(n: int, steps: list[tuple[str, str]]) -> list:  # type: ignore[type-arg]
        return [message(f"[PATCH v{n} {k}/{len(steps)}] {title}", f"e{k}v{n}@x", patch_body("C.", text),
                        parent=None if k == 1 else f"e1v{n}@x") for k, (title, text) in enumerate(steps, 1)]

    box = write_mbox(tmp_path / "s.mbox", rev(1, [
        ("demo: add the exporting code", one), ("demo: export demo_b", diff("demo/exp.c", EXP_C, exported))]) + rev(2, [
        ("demo: add the exporting code", one), ("demo: add demo_b", diff("demo/exp.c", EXP_C, with_b)),
        ("demo: make demo_b available", diff("demo/exp.c", with_b, exported)),
        ("demo: add demo_c", diff("demo/exp.c", exported, with_c))]))
    (tmp_path / "m.toml").write_text(MATRIX)
    (tmp_path / "r.toml").write_text(rule(NO_NEW))
    ev = evaluate(EvalRequest((box,), variants=("v2", "v2:01", "v2:03"), rules=tmp_path / "r.toml",
                              matrix=tmp_path / "m.toml"))
    assert ev.judgement is not None
    found = ev.judgement.rows[0].verdicts["v2"]
    assert [e.actual for e in found.evidence if "demo_c" in e.actual] == [], found.evidence
    assert "judged on v2:03, right after the patches that make the rule's change" in found.note, found.note
