"""The README's tour on a maintainer's own format-patch series and kernel-like tree nobody here has seen.

The tree and both revisions come from tests.harness.kerneltreegen (git writes every mail): the retry helper
renamed, the helpers moved to a header, a patch dropped between v1 and v2, a new wrapper, a changed retry count and
printk format. Each command runs as the README shows it, with what git itself makes as the reference."""

from __future__ import annotations

import json
import shutil
import subprocess
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from typing import Any, ClassVar

import jsonschema
import pytest
from typer.testing import CliRunner

from harness.cli import app
from tests.harness.kerneltreegen import ARCHRANDOM_H, DIR, Built, build, lore_thread, one_patch, rebased
from tests.harness.test_lore import serving

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git to build the tree and the mail")

RULES = """\
[[rule]]
id = "no-entropy-retried-at-most-16-times"
reviewer = "Mia Maintainer"
summary = "seamcall_retry() gives up after 16 tries of a 'no entropy' answer"
severity = "error"
[rule.check]
kind = "behaviour"
scenarios = { entry = ["tdx_*", "seamldr_info"], script = "tdx-no-entropy-*" }
expect = { calls_at_most = 16 }
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build(tmp_path_factory.mktemp("kernel"), thread=True)


def _run(*args: str) -> tuple[int, str, str]:
    r = runner.invoke(app, list(args))
    assert "Traceback" not in r.stdout + r.stderr
    return r.exit_code, r.stdout, r.stderr


def _folders(built: Built) -> list[str]:
    return [str(built.out[1]), str(built.out[2])]


def test_series_reads_both_revisions_git_wrote(built: Built) -> None:
    code, out, _ = _run("series", *_folders(built), "--json")
    assert code == 0
    revisions = json.loads(out)["revisions"]
    assert [(r["version"], len(r["patches"])) for r in revisions] == [(1, 5), (2, 4)], out[:400]


def test_apply_on_the_tree_writes_what_the_branch_holds(built: Built, tmp_path: Path) -> None:
    code, _, err = _run("apply", str(built.out[2]), "--variant", "v2", "--tree", str(built.tree), "--out",
                        str(tmp_path / "v2"))
    assert code == 0, err
    for name in ("tdx.c", "seamcall.h", "seamldr.c", "Makefile"):
        git = subprocess.run(["git", "show", f"v2:{DIR}/{name}"], cwd=built.tree, capture_output=True, text=True,
                             check=True).stdout
        assert (tmp_path / "v2" / DIR / name).read_text() == git, name
    assert "base-commit: of the cover letter" in err


def _eval(built: Built, tmp_path: Path) -> tuple[str, dict[str, Any]]:
    """eval's terminal text (its lines as the terminal wraps them) and report.json."""
    code, out, err = _run("eval", *_folders(built), "--tree", str(built.tree), "--json", str(tmp_path / "r.json"))
    assert code == 0, err
    return out, json.loads((tmp_path / "r.json").read_text())


def test_eval_says_what_each_patch_changes(built: Built, tmp_path: Path) -> None:
    out, _ = _eval(built, tmp_path)
    per_patch = out.split("\nPer patch\n")[1].split("\nRevisions and proposals\n")[0]
    sections = {s.split(":")[0]: s for s in ("\n" + per_patch).split("\nv")[1:]}
    assert "no behaviour change in the 376 of 705 scenarios" in sections["2 01/4"]  # the rename
    assert "no behaviour change in the 376 of 705 scenarios" in sections["2 02/4"]  # the move
    assert "TDX module SEAMCALLs 10 -> 16" in sections["2 04/4"]  # the retry count
    assert "seamcall_ret() is gone" in sections["1 03/5"]  # the patch v2 dropped
    assert "v2 has no patch titled as v1 03/5" in out


def test_a_conversion_printed_apart_in_a_line_whose_text_changed_is_not_said_unprinted(built: Built,
                                                                                        tmp_path: Path) -> None:
    # v2 03/4 makes "SEAMCALL (0x%016llx) failed" "SEAMCALL %#llx failed": the TDX module's leaves (0x20, 0x21,
    # 0x23) print apart ('(0x0000000000000021)' -> '0x21', said as text: the parentheses went too), yet the
    # comparison said "'0x%016llx' -> '%#llx': no scenario printed them apart".
    out, _ = _eval(built, tmp_path)
    section = " ".join(out.split("\nv2 03/4: ")[1].split("\nv2 04/4: ")[0].split())
    assert "'(0x0000000000000021)' -> '0x21'" in section
    assert "no scenario printed them apart" not in section, section


def test_gate_needs_rules_then_judges_them(built: Built, tmp_path: Path) -> None:
    code, _, err = _run("gate", *_folders(built), "--tree", str(built.tree), "--variant", "v2")
    assert code == 2 and "pass --rules FILE, a TOML file of [[rule]] tables" in err.strip(), err
    (tmp_path / "rules.toml").write_text(RULES)
    code, out, err = _run("gate", *_folders(built), "--tree", str(built.tree), "--variant", "v2", "--rules",
                          str(tmp_path / "rules.toml"), "--json", str(tmp_path / "gate.json"))
    assert code == 0, out + err
    assert out.startswith("v2: READY"), out
    (rule,) = json.loads((tmp_path / "gate.json").read_text())["rules"]
    assert rule["verdict"] == "pass", rule


@pytest.mark.skipif(shutil.which("cc") is None, reason="crosscheck needs cc")
def test_crosscheck_agrees_with_cc(built: Built) -> None:
    code, out, err = _run("crosscheck", *_folders(built), "--tree", str(built.tree))
    assert code == 0, err
    assert "outcomes agree" in out and "0 from the mirror's expansion" in out, out


class _Files(SimpleHTTPRequestHandler):
    root: ClassVar[str] = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, directory=self.root, **kwargs)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def test_fetch_from_a_lore_like_server_then_gate_blocks_on_the_nak(built: Built, tmp_path: Path) -> None:
    cover = lore_thread(built, tmp_path / "srv", "NAK. Tools parse this line; keep the parentheses.")
    _Files.root = str(tmp_path / "srv")
    (tmp_path / "rules.toml").write_text(RULES)
    cache = str(tmp_path / "cache")
    with serving(_Files) as lore:
        code, out, err = _run("fetch", cover, "--lore", lore, "--cache-dir", cache, "--out", str(tmp_path / "t.gz"))
        assert code == 0, err
        code, out, err = _run("gate", cover, "--lore", lore, "--cache-dir", cache, "--tree", str(built.tree),
                              "--variant", "v2", "--rules", str(tmp_path / "rules.toml"))
    assert code == 1, out + err
    assert "NAK of v2 03/4 by Rita Reviewer <review-1@example.com>" in out, out


def test_a_patch_to_a_header_alone_runs_the_tree_code_that_uses_it(built: Built, tmp_path: Path) -> None:
    # RDRAND_RETRY_LOOPS of asm/archrandom.h made 12: the retry loop reading it is in tdx.c, which no patch touches,
    # so no hunk named a helper and eval stopped: "no matrix for this code ... pass --matrix FILE".
    folder = one_patch(built, tmp_path / "loops", ARCHRANDOM_H, "RDRAND_RETRY_LOOPS\t10", "RDRAND_RETRY_LOOPS\t12")
    code, out, err = _run("eval", str(folder), "--tree", str(built.tree))
    assert code == 0, err
    assert "TDX module SEAMCALLs 10 -> 12" in out, out


def test_a_patch_to_a_header_macro_no_seamcall_code_uses_still_needs_a_matrix(built: Built, tmp_path: Path) -> None:
    folder = one_patch(built, tmp_path / "words", ARCHRANDOM_H, "RDRAND_WORDS\t\t4", "RDRAND_WORDS\t\t8")
    code, _, err = _run("eval", str(folder), "--tree", str(built.tree))
    assert code == 2 and "no matrix for this code" in err, err


def test_a_patch_to_a_files_pr_fmt_alone_runs_the_prints_it_prefixes(built: Built, tmp_path: Path) -> None:
    # tdx.c's pr_fmt made "tdx: ": every pr_err() below it prints with it, seamcall_err()'s of seamcall.h too, but no
    # definition names pr_fmt, so no user was found and eval --tree stopped: "no matrix for this code".
    folder = one_patch(built, tmp_path / "prefix", f"{DIR}/tdx.c", '"virt/tdx: "', '"tdx: "')
    code, out, err = _run("eval", str(folder), "--tree", str(built.tree))
    assert code == 0, err
    assert "log: text removed 'virt/'" in out, out


def test_revisions_on_different_bases_say_so_where_they_are_compared(built: Built, tmp_path: Path) -> None:
    # v2 rebased on rc2, whose tdx_cpu_enable() returns -EINVAL: "v1 -> v2" listed 'return -EIO -> -EINVAL' among
    # what v2 changed, the two bases named only in the header line, so the base's change read as the series'.
    v2 = rebased(built, tmp_path / "v2")
    code, out, err = _run("eval", str(built.out[1]), str(v2), "--tree", str(built.tree), "--html",
                          str(tmp_path / "r.html"), "--json", str(tmp_path / "r.json"))
    assert code == 0, err
    section = " ".join(out.split("\nv1 -> v2\n")[1].split())
    said = "v1 and v2 are built on different bases (v1: "
    assert section.startswith(said), section[:300]
    assert "return -EIO -> -EINVAL" in section
    assert said in (tmp_path / "r.html").read_text()
    # report.json said nothing of it: a program read 'return -EIO -> -EINVAL' as v2's change.
    doc = json.loads((tmp_path / "r.json").read_text())
    jsonschema.validate(doc, json.loads((ROOT / "reports" / "eval.schema.json").read_text()))
    (apart,) = [c["bases_apart"] for c in doc["differences"] if "bases_apart" in c]
    assert apart["note"].startswith(said) and apart["note"] in section and apart["a"] != apart["b"], apart
    assert f"(v1: {apart['a']}; v2: {apart['b']})" in apart["note"], apart
    assert apart["from"] == "tree", apart
    _, same, _ = _run("eval", *_folders(built), "--tree", str(built.tree), "--json", str(tmp_path / "same.json"))
    assert "different bases" not in same
    assert not any("bases_apart" in c for c in json.loads((tmp_path / "same.json").read_text())["differences"])


def test_a_rule_naming_the_retry_helper_as_entry_is_told_why_it_is_none(built: Built, tmp_path: Path) -> None:
    # Before: "entry point 'seamcall_retry*' matches no entry point of it: the nearest is 'seamcall_ret'", another
    # function; the helper is in the code, handed a function pointer the matrix cannot feed.
    (tmp_path / "r.toml").write_text(RULES.replace('["tdx_*", "seamldr_info"], script = "tdx-no-entropy-*"',
                                                   '["seamcall_retry*"]'))
    code, out, err = _run("gate", *_folders(built), "--tree", str(built.tree), "--variant", "v2", "--rules",
                          str(tmp_path / "r.toml"))
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1, err
    assert "seamcall_retry() (arch/x86/virt/vmx/tdx/seamcall.h:" in err and "nearest" not in err, err
    assert "is in the code but no entry point: the matrix cannot feed its parameter 'sc_func_t func'" in err, err
    assert "select the entry points that reach it, or run it with a [params] feed or an [[entry]]" in err, err
