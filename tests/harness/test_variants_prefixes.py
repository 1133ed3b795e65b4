"""Prefix variants of a long revision: each prefix's facts carried on from the one before.

Prefix variants of a long revision: each prefix's facts carried on from the one before, equal to working
them out from patch 1 again, in work that grows with the patches rather than with their square."""

from __future__ import annotations

from pathlib import Path

import pytest

import harness.statefiles as statefiles_mod
import harness.variants as variants_mod
from harness.linking import created_c_files
from harness.model import Revision
from harness.moves import defined_by
from harness.pipeline import SeriesRequest, read_inputs
from harness.statefiles import state_links
from harness.variants import build_states, revision_variants
from tests.mailgen import diff, message, patch_body, write_mbox

TOTAL = 40


def _revision(tmp: Path) -> Revision:
    """A revision whose patches create .c files, delete some of them again, and add and remove #defines."""
    texts: dict[str, str | None] = {}
    msgs = [message(f"[PATCH v4 00/{TOTAL}] prefixes", "c@x", "cover\n")]
    for n in range(1, TOTAL + 1):
        path = f"drivers/demo/u{n % 7}.c"
        old = texts.get(path)
        if old is not None and n % 5 == 0:
            new = None  # deleted: a later patch may create it again
        else:
            new = (old or "") + f"#define DEMO_{n} {n}\nint demo_{n}(void) {{ return DEMO_{n}; }}\n"
            if old is not None and n % 3 == 0:
                new = new.replace(f"#define DEMO_{n - 3} {n - 3}\n", "")
        texts[path] = new
        msgs.append(message(f"[PATCH v4 {n:02d}/{TOTAL}] demo: step {n}", f"p{n}@x",
                            patch_body(f"step {n}", diff(path, old, new)), parent="c@x"))
    series = read_inputs(SeriesRequest((write_mbox(tmp / "s.mbox", msgs),)))
    [rev] = series.revisions
    assert len(rev.patches) == TOTAL
    return rev


def test_each_prefix_has_the_facts_worked_out_from_patch_one(tmp_path: Path) -> None:
    rev = _revision(tmp_path)
    patches = list(rev.patches)
    out = revision_variants(rev, lambda _path: None, "mail", alias_base=False)
    states, findings = build_states(patches, lambda _path: None)
    assert [v.name for v in out[:2]] == ["v4:00", "v4:01"] and len(out) == TOTAL + 2
    for k, v in enumerate(out[:-1]):
        files = [pf for p in patches[:k] for pf in p.files]
        assert v.links == state_links(states[k], files, lambda _path: None, {}, False), v.name
        assert v.findings == tuple(f for fs in findings[:k] for f in fs), v.name
        assert v.removed_defines == tuple((name, f"v4 {p.label}") for p in patches[:k]
                                          for name in sorted(defined_by(p)[1])), v.name
        assert v.added_later == tuple(dict.fromkeys((name, f"v4 {p.label}") for p in patches[k:]
                                                    for name in sorted(defined_by(p)[0]))), v.name
        assert v.applied == tuple(variants_mod.patch_label(p) for p in patches[:k])
    assert any(v.removed_defines for v in out) and any(v.added_later for v in out)


def test_prefix_links_read_each_patch_file_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Every prefix's links were worked out from all its patches' files: 5,000 patches, 12.5 million files read.
    rev = _revision(tmp_path)
    seen = []

    def counting(files: list[object], earlier: frozenset[str] = frozenset()) -> set[str]:
        seen.append(len(files))
        return created_c_files(files, earlier)  # type: ignore[arg-type]

    monkeypatch.setattr(statefiles_mod, "created_c_files", counting)
    revision_variants(rev, lambda _path: None, "mail", alias_base=False)
    assert sum(seen) == sum(len(p.files) for p in rev.patches)


def test_a_revision_of_one_patch_is_described_in_the_singular(tmp_path: Path) -> None:
    # It read "v4 with all 1 patches".
    msgs = [message("[PATCH v4] demo: one step", "one@x",
                    patch_body("one step", diff("drivers/demo/u.c", None, "int demo(void) { return 1; }\n")))]
    [rev] = read_inputs(SeriesRequest((write_mbox(tmp_path / "s.mbox", msgs),))).revisions
    out = revision_variants(rev, lambda _path: None, "mail", alias_base=False)
    assert out[-1].name == "v4" and out[-1].description == "v4 with its only patch"


def test_a_revision_of_two_patches_is_described_with_both(tmp_path: Path) -> None:
    # It read "v1 with all 2 patches".
    msgs = [message(f"[PATCH {n}/2] demo: step {n}", f"two{n}@x",
                    patch_body("a step", diff(f"drivers/demo/u{n}.c", None, f"int demo{n}(void) {{ return 1; }}\n")))
            for n in (1, 2)]
    [rev] = read_inputs(SeriesRequest((write_mbox(tmp_path / "s.mbox", msgs),))).revisions
    out = revision_variants(rev, lambda _path: None, "mail", alias_base=False)
    assert out[-1].description == "v1 with both patches"
