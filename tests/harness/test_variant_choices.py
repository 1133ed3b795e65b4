"""The variant names said where a user must choose one.

The variant names said where a user must choose one: gate without --variant names them, each revision's prefixes
as a range, and ``base`` (vN:00's other name in an input of one revision) said as that, never as a state of its own;
``newest`` names the newest revision's whole state, for CI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from harness.variantchoices import MOST_SHOWN, choices, newest_in
from tests.mailgen import demo_series, write_mbox

runner = CliRunner()
MATRIX = ('[codes]\nOK = 0\n[leaves]\nONE = 1\n[[unit]]\nname = "u"\n[[entry]]\nname = "demo_retry"\n'
          'args = ["fn"]\n[[script]]\nname = "ok"\nanswers = ["OK"]\n')


def _lone_error(r) -> str:  # type: ignore[no-untyped-def]
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert r.exit_code == 2 and len(lines) == 1 and "Traceback" not in r.output, r.output
    assert r.stdout == "", r.stdout  # no partial output
    return lines[0]


def test_gate_without_variant_names_the_choices(tmp_path: Path) -> None:
    # Before: 'seamharness: missing option '--variant'' and nothing on what to give; then the choices without
    # 'newest', the name CI gives (docs/gate.md).
    mbox = write_mbox(tmp_path / "s.mbox", demo_series(1) + demo_series(2))
    line = _lone_error(runner.invoke(app, ["gate", str(mbox)]))
    assert line == ("seamharness: missing option '--variant': the variant to judge, one of v2 (v2:00-v2:03), "
                    "v1 (v1:00-v1:03), or newest (v2 here, the newest revision: for CI)"), line


def test_one_revision_says_base_is_its_first_state(tmp_path: Path) -> None:
    # Before: 'known: v2:00 v2:01 v2:02 v2:03 v2 base' and the series tree's variants listed 'base' on a line of its
    # own, as if it were another state than v2:00 (revision_variants makes it a copy of v2:00 under that name).
    mbox = write_mbox(tmp_path / "s.mbox", demo_series())
    assert _lone_error(runner.invoke(app, ["gate", str(mbox)])).endswith(
        "one of v2 (v2:00-v2:03; base is v2:00), or newest (v2 here, the newest revision: for CI)")
    line = _lone_error(runner.invoke(app, ["gate", str(mbox), "--variant", "nope"]))
    assert line.endswith("known: v2 (v2:00-v2:03; base is v2:00), or newest (v2 here, the newest revision: for "
                         "CI)"), line
    tree = runner.invoke(app, ["series", str(mbox)])
    assert tree.exit_code == 0 and tree.stdout.rstrip().endswith("v2:00 v2:01 v2:02 v2:03 v2 (base is v2:00)"), \
        tree.stdout
    # Scripts naming either still build the same files.
    (tmp_path / "m.toml").write_text(MATRIX)
    texts = []
    for name in ("base", "v2:00"):
        r = runner.invoke(app, ["apply", str(mbox), "--variant", name, "--out", str(tmp_path / name)])
        assert r.exit_code == 0, r.output
        texts.append(sorted((p.relative_to(tmp_path / name), p.read_bytes()) for p in (tmp_path / name).rglob("*.h")))
    assert texts[0] == texts[1]


def test_many_choices_are_cut_saying_how_many_more() -> None:
    names = [n for v in range(1, 21) for n in (f"v{v}:00", f"v{v}:01", f"v{v}:02", f"v{v}")] + ["ann-drop-03"]
    said = choices(names)
    assert said.startswith("v20 (v20:00-v20:02), v19 (v19:00-v19:02), ") and \
        said.endswith(f", v13 (v13:00-v13:02) and {21 - MOST_SHOWN} more (seamharness series lists every one)"), said


@pytest.mark.parametrize(("names", "said"), [
    (["v3:00", "v3:01", "v3:05", "v3:06", "v3", "x-drop"], "v3 (v3:00-v3:01, v3:05-v3:06), x-drop"),
    (["v4:03+ann", "v4:00", "v4"], "v4 (v4:00), v4:03+ann"),
])
def test_prefix_ranges_keep_their_gaps(names: list[str], said: str) -> None:
    assert choices(names) == said


def test_base_is_folded_only_as_an_alias() -> None:
    assert choices(["v1:00", "v1", "base"]) == "v1 (v1:00; base is v1:00)"
    assert choices(["v1:00", "v1", "v2:00", "v2"]) == "v2 (v2:00), v1 (v1:00)"


@pytest.mark.parametrize(("names", "top"), [(["v1:00", "v1:01", "v1", "v2:00", "v2"], "v1"),  # v2: a cover alone
                                            (["v1:00", "v1", "base"], None), (["v9:01", "v10:01", "x"], "v10")])
def test_newest_is_the_highest_revision_with_a_patch_as_newest_finds_it(names: list[str], top: str | None) -> None:
    assert newest_in(names) == top


def test_an_unknown_variant_offers_the_choices_gate_offers_and_newest(tmp_path: Path) -> None:
    # It listed every name (26 for the corpus) space-separated and never said 'newest', which eval, apply and gate
    # take; gate without --variant said the same choices in a few words.
    mbox = write_mbox(tmp_path / "s.mbox", demo_series())
    said = [_lone_error(runner.invoke(app, args)) for args in (["gate", str(mbox)],
                                                                ["eval", str(mbox), "--variant", "v2:2"])]
    assert said[1] == ("seamharness: no variant 'v2:2' (did you mean 'v2:02'?); known: "
                       + said[0].split("one of ", 1)[1]), said


_RULE = ('[[rule]]\nid = "prints"\nreviewer = "R"\nsummary = "the TDX module printer runs"\nseverity = "error"\n'
         '[rule.check]\nkind = "behaviour"\nscenarios = { entry = "seamcall_prerr", unit = "tdx.c" }\n'
         'expect = { status = "ok" }\n')


def test_newest_names_the_newest_revision_for_gate_apply_and_eval(tmp_path: Path) -> None:
    # CI had to read `series --json` to name the revision mailed (docs/examples/seamharness-gate.yml); 'newest' was
    # "no variant 'newest'". It is the whole state of the highest revision, whichever order the mail holds them in.
    from tests.harness import seriesgen as gen

    step = gen.Step("x86/virt/tdx: Add an internal SEAMCALL helper header",
                    ((gen.NEW_HOME, None, gen.helpers(gen.RETRY_SAFE)),))
    mbox = write_mbox(tmp_path / "s.mbox", gen.revision(3, [step]) + gen.revision(1, [step]))
    (tmp_path / "r.toml").write_text(_RULE)
    docs = []
    for name in ("newest", "v3"):
        out = tmp_path / f"{name}.json"
        r = runner.invoke(app, ["gate", str(mbox), "--variant", name, "--rules", str(tmp_path / "r.toml"), "--json",
                                str(out), "-j", "1"])
        assert r.exit_code == 0 and r.stdout.startswith("v3: READY"), r.output
        docs.append(json.loads(out.read_text()))
    assert docs[0] == docs[1] and docs[0]["variant"] == "v3", docs[0]["variant"]
    r = runner.invoke(app, ["apply", str(mbox), "--variant", "newest", "--out", str(tmp_path / "a")])
    assert r.exit_code == 0 and json.loads((tmp_path / "a" / "provenance.json").read_text())["variant"] == "v3", \
        r.output
    r = runner.invoke(app, ["eval", str(mbox), "--variant", "newest", "--json", str(tmp_path / "e.json")])
    assert r.exit_code == 0 and [v["name"] for v in json.loads((tmp_path / "e.json").read_text())["variants"]] == \
        ["v3"], r.output
