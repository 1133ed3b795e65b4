"""An entry point only the tree defines: judged with --tree, inconclusive from mail alone.

An entry point only the tree defines: judged with --tree; from mail alone inconclusive (never refused as a typo
nor passed), unless the name is a likely typo of one the mail shows (a letter or two off: refused, exit 2)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from tests.harness.seriesgen import OLD_HOME, RETRY_SAFE, helpers, moving_series
from tests.mailgen import write_mbox

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
runner = CliRunner()
TDX_C = "arch/x86/virt/vmx/tdx/tdx.c"
# A function of the unit that no hunk of the series shows: only the tree has it.
PROBE = ('#define pr_fmt(fmt) "virt/tdx: " fmt\n\n#include <asm/tdx.h>\n'
         '#include "seamcall_internal.h"\n\n'
         "int tdx_setup_probe(u64 fn, struct tdx_module_args *args)\n{\n\treturn seamcall_prerr(fn, args);\n}\n\n"
         "int seamldr_install(u64 fn, struct tdx_module_args *args)\n{\n\treturn seamcall_prerr(fn, args);\n}\n")
RULE = ('[[rule]]\nid = "probe-calls"\nreviewer = "Rev"\nsummary = "The probe issues its SEAMCALL"\n'
        'severity = "error"\n[rule.check]\nkind = "behaviour"\nscenarios = {{ entry = "{entry}" }}\n'
        "expect = {{ calls_at_least = 1 }}\n")


def _tree(tmp_path: Path) -> Path:
    """A git tree at the series' base: the helper header and tdx.c with tdx_setup_probe()."""
    import git

    repo = git.Repo.init(tmp_path / "linux")
    with repo.config_writer() as cfg:
        cfg.set_value("user", "name", "T").set_value("user", "email", "t@example.org")
    for path, text in ((OLD_HOME, helpers(RETRY_SAFE)), (TDX_C, PROBE)):
        (tmp_path / "linux" / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "linux" / path).write_text(text)
    repo.index.add([OLD_HOME, TDX_C])
    repo.index.commit("base")
    return tmp_path / "linux"


def _gate(tmp_path: Path, entry: str, tree: bool) -> tuple[int, str, dict[str, str]]:
    """``seamharness gate`` of v4 with one rule on ``entry``: exit code, output, and the rule's row of --json."""
    mbox = write_mbox(tmp_path / "v4.mbox", moving_series(faithful=True, built=False))
    rules = tmp_path / "rules.toml"
    rules.write_text(RULE.format(entry=entry))
    out = tmp_path / "g.json"
    args = ["gate", str(mbox), "--variant", "v4", "--rules", str(rules), "--json", str(out)]
    r = runner.invoke(app, [*args, *(["--tree", str(_tree(tmp_path))] if tree else [])])
    verdict = json.loads(out.read_text())["rules"][0] if out.exists() else {}
    return r.exit_code, r.output, verdict


def test_an_entry_only_the_tree_defines_is_judged_with_the_tree(tmp_path: Path) -> None:
    code, output, verdict = _gate(tmp_path, "tdx_setup_probe", tree=True)
    assert verdict.get("verdict") == "pass", output
    assert code == 0, output


def test_from_mail_alone_it_is_inconclusive_not_refused(tmp_path: Path) -> None:
    # It was refused as if misspelt (exit 2): the mail shows part of the code, and tdx.c is not in it.
    code, output, verdict = _gate(tmp_path, "tdx_setup_probe", tree=False)
    assert code == 1, output
    assert verdict["verdict"] == "inconclusive", verdict
    assert verdict["note"] == "tdx_setup_probe is not in what the mail shows: give --tree", verdict


def test_a_name_close_to_one_the_mail_shows_is_refused_as_a_typo(tmp_path: Path) -> None:
    code, output, verdict = _gate(tmp_path, "seamcall_prer", tree=False)
    assert code == 2 and not verdict, output
    said = " ".join(output.split())
    assert "'seamcall_prer' (did you mean 'seamcall_prerr'?)" in said and "or give --tree" in said, said
    assert "Traceback" not in output


@pytest.mark.parametrize("tree", [True, False])
def test_a_name_sharing_words_with_one_the_mail_shows_is_no_typo(tmp_path: Path, tree: bool) -> None:
    # seamldr_install (the tree's) is close to the mail's seamcall by difflib, not a slip of a letter or two: from
    # mail alone it was refused as misspelt (exit 2). Inconclusive now, the close name still said.
    code, output, verdict = _gate(tmp_path, "seamldr_install", tree=tree)
    if tree:
        assert (code, verdict.get("verdict")) == (0, "pass"), output
        return
    assert code == 1, output
    assert verdict["verdict"] == "inconclusive", verdict
    assert verdict["note"] == "seamldr_install (did you mean 'seamcall'?) is not in what the mail shows: give --tree"


def test_a_name_in_another_case_is_refused_as_a_typo(tmp_path: Path) -> None:
    code, output, verdict = _gate(tmp_path, "Seamcall_PRERR", tree=False)
    assert code == 2 and not verdict, output
    assert "'Seamcall_PRERR' (did you mean 'seamcall_prerr'?)" in " ".join(output.split()), output


@pytest.mark.parametrize("tree", [True, False])
def test_a_wildcard_matching_only_what_the_tree_shows(tmp_path: Path, tree: bool) -> None:
    # tdx_setup_* matches tdx_setup_probe, which only the tree has: from mail alone it matched nothing and the rule
    # was refused (exit 2), as if it named nothing. Inconclusive now; with --tree judged.
    code, output, verdict = _gate(tmp_path, "tdx_setup_*", tree=tree)
    if tree:
        assert (code, verdict.get("verdict")) == (0, "pass"), output
        return
    assert code == 1, output
    assert verdict["verdict"] == "inconclusive", verdict
    assert verdict["note"] == "tdx_setup_* matches nothing the mail shows: give --tree", verdict


def test_with_the_tree_a_wildcard_matching_nothing_is_refused(tmp_path: Path) -> None:
    code, output, verdict = _gate(tmp_path, "tdx_nothing_*", tree=True)
    assert code == 2 and not verdict, output
    assert "the scenario selector matches no scenario" in " ".join(output.split()), output
    assert "Traceback" not in output


# A user's own wrapper, seam_call_prerr(), an underscore away from the bundled matrix's seamcall_prerr: a hunk shows
# its definition's line, not its body whole (the retry helper's call changed in its middle).
_CORE = "arch/x86/virt/seam/core.c"
_CORE_V0 = ('#define pr_fmt(fmt) "seam: " fmt\n\n#include <asm/seam.h>\n\n'
            "static int seam_call_prerr(u64 fn, struct tdx_module_args *args)\n{\n"
            "\tu64 err = seam_call_retry(__seamcall, fn, args);\n\tint tries = 1;\n\n"
            "\ttries++;\n\ttries++;\n\tif (err) {\n"
            '\t\tpr_err("SEAMCALL %llx failed: %llx (%d)\\n", fn, err, tries);\n\t\treturn -EIO;\n\t}\n'
            "\treturn 0;\n}\n")


def _own_wrapper_series() -> list[object]:
    from tests.mailgen import diff, message, patch_body

    new = _CORE_V0.replace("seam_call_retry(", "seam_retry(")
    cover = message("[PATCH v2 0/1] x86/seam: rename", "c-own@example.org", "Rename.\n")
    patch = message("[PATCH v2 1/1] x86/seam: Rename the retry helper", "p1-own@example.org",
                    patch_body("Rename it.", diff(_CORE, _CORE_V0, new)), parent="c-own@example.org",
                    refs=("c-own@example.org",))
    return [cover, patch]


def test_a_name_a_hunk_shows_is_the_codes_own_not_a_typo(tmp_path: Path) -> None:
    # Before: refused, exit 2, "'seam_call_prerr' (did you mean 'seamcall_prerr'?)", though the hunk shows the line
    # that defines it: the user's own function from mail alone, judged inconclusive as any name the hunks do not
    # show whole.
    mbox = write_mbox(tmp_path / "own.mbox", _own_wrapper_series())  # type: ignore[arg-type]
    rules = tmp_path / "rules.toml"
    rules.write_text(RULE.format(entry="seam_call_prerr"))
    out = tmp_path / "g.json"
    r = runner.invoke(app, ["gate", str(mbox), "--variant", "v2", "--rules", str(rules), "--json", str(out)])
    assert r.exit_code == 1, r.output
    verdict = json.loads(out.read_text())["rules"][0]
    assert verdict["verdict"] == "inconclusive", verdict
    assert verdict["note"] == "seam_call_prerr is not in what the mail shows: give --tree", verdict
    # A slip of the bundled name the hunks do not show is still refused.
    rules.write_text(RULE.format(entry="seamcall_prer"))
    r = runner.invoke(app, ["gate", str(mbox), "--variant", "v2", "--rules", str(rules)])
    assert r.exit_code == 2 and "(did you mean 'seamcall_prerr'?)" in " ".join(r.output.split()), r.output


@pytest.mark.parametrize("variant", ["v4:00", "v4"])
def test_a_rule_on_a_later_patch_is_not_applicable_before_it_from_mail_alone_too(tmp_path: Path,
                                                                                 variant: str) -> None:
    # A rule naming an entry point no hunk shows, on patch 01 of v4: before it (v4:00) the rule's subject is absent
    # by design. With --tree that was N/A, from mail alone INCONCLUSIVE ('... is not in what the mail shows: give
    # --tree'), an error rule blocking the gate of a state the rule is not about. Where it applies, still inconclusive.
    mbox = write_mbox(tmp_path / "v4.mbox", moving_series(faithful=True, built=False))
    rules = tmp_path / "rules.toml"
    rules.write_text(RULE.format(entry="tdx_setup_probe").replace('severity = "error"\n',
                                                                   'severity = "error"\napplies_from = 1\n'))
    out = tmp_path / "g.json"
    r = runner.invoke(app, ["gate", str(mbox), "--variant", variant, "--rules", str(rules), "--json", str(out)])
    verdict = json.loads(out.read_text())["rules"][0]
    if variant == "v4:00":
        assert (r.exit_code, verdict["verdict"]) == (0, "n/a"), r.output
        assert "the variant stops before patch 01" in verdict["note"], verdict
    else:
        assert (r.exit_code, verdict["verdict"]) == (1, "inconclusive"), r.output
        assert "not in what the mail shows" in verdict["note"], verdict
