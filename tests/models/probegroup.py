"""A group of C pieces run one after another by busy(): the mirror's runs and gcc's builds of them agree."""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from harness.crosscheck import ORIGINAL, CrossResult, crosscheck_result
from harness.filestate import full_file
from harness.matrix import load_matrix
from harness.matrixresult import MatrixResult
from harness.variants import Variant
from models.native.run import find_compiler
from tests.harness.variantgen import header_result

STATUS = 0x8000020300000043  # what the script's SEAMCALLs answer


def group_header(text: str, entry: str = "busy") -> str:
    """The group's pieces, then busy() (or ``entry``): each piece run in turn, their results mixed (u64 wraps)."""
    names = re.findall(r"^static (?:long long|int) (pw[2345]?_\w+)\(u64 fn", text, re.MULTILINE)
    calls = "".join(f"\tr = r * 1000003 + (u64){n}(fn, args);\n" for n in names)
    return text + (f"static long long {entry}(u64 fn, struct tdx_module_args *args)\n{{\n\tu64 r = 0;\n\n" + calls
                   + "\treturn (long long)r;\n}\n")


def group_result(tmp_path: Path, name: str, path: str, text: str) -> MatrixResult:
    """The group ``text`` as variant ``name``, its header at ``path``, run by the mirror (busy() its entry point)."""
    return header_result(tmp_path, name, path, group_header(text), STATUS)


def agrees_with_gcc(result: MatrixResult, name: str) -> None:
    """gcc's outcomes, built from the variant's text (both scripts compared) and from the mirror's expansion, are
    the mirror's."""
    for source in (ORIGINAL, "mirror"):
        r = crosscheck_result(result, find_compiler(None), source=source)
        assert r.disagreements == [], (source, [d.divergence for d in r.disagreements])
        assert source != ORIGINAL or r.raw_compared[name] == 2, r.raw_compared


def runs_as_gcc(tmp_path: Path, name: str, path: str, text: str) -> MatrixResult:
    """group_result, whose runs of both scripts complete, and agrees_with_gcc."""
    result = group_result(tmp_path, name, path, text)
    for s in ("ok", "big"):
        out = result.outcome(name, f"busy/ONE/{s}/demo.c")
        assert out.status == "ok", out.error
    agrees_with_gcc(result, name)
    return result


def piece_names(text: str) -> set[str]:
    """The pieces' own names a group's text uses (every one begins pw, as probe_walk*.h writes them), comments
    aside."""
    return set(re.findall(r"\b(?i:pw)\w*", re.sub(r"/\*.*?\*/", "", text, flags=re.DOTALL)))


def batches(groups: dict[str, str], most: int) -> list[list[str]]:
    """The groups (by name) packed, in order, into batches no two groups of which share a name: each group of a
    batch means in one file what it means alone (no definition of another group's name, no macro of another's
    expanding in it: __stringify(PW2_BUSY) alone and after PW2_BUSY's #define differ), at ``most`` groups a batch."""
    out: list[list[str]] = []
    used: set[str] = set()
    for name, text in groups.items():
        if not out or len(out[-1]) == most or piece_names(text) & used:
            out.append([])
            used = set()
        out[-1].append(name)
        used |= piece_names(text)
    return out


@dataclass(frozen=True)
class Batch:
    """Groups built into one header, each group's busy() an entry point of its own (``entries``: group -> entry),
    run by the mirror and cross-checked with gcc once from each source (built once each, not once a group)."""

    result: MatrixResult
    entries: dict[str, str]
    cross: dict[str, CrossResult]


def batch_result(name: str, groups: dict[str, str]) -> Batch:
    """``groups`` (sharing no name: batches()) as one variant ``name`` whose header demo/pw.h holds each group
    followed by its entry; both scripts of each entry run in demo.c; crosscheck_result from both sources."""
    from harness.runner import MatrixRequest, run_matrix

    entries = {g: f"busy_{i}" for i, g in enumerate(groups)}
    text = "".join(group_header(t, entries[g]) for g, t in groups.items())
    v = Variant(name, name, (full_file("demo/pw.h", text, "test"),), (), (), (), "t")
    with tempfile.TemporaryDirectory(prefix="probegroup-") as tmp:
        (Path(tmp) / "m.toml").write_text(
            f'[codes]\nOK = 0\nBIG = {STATUS:#018x}\n[leaves]\nONE = 1\n[[unit]]\nname = "demo.c"\n'
            'path = "demo/demo.c"\n' + "".join(f'[[entry]]\nname = "{e}"\n' for e in entries.values())
            + '[[script]]\nname = "ok"\nanswers = ["OK"]\n[[script]]\nname = "big"\nanswers = ["BIG"]\n')
        # No time budget, as header_result: these programs end, and a loaded host must not skip their runs.
        result = run_matrix(MatrixRequest((v,), load_matrix(Path(tmp) / "m.toml"), jobs=1, time_budget=0))
    cross = {source: crosscheck_result(result, find_compiler(None), source=source) for source in (ORIGINAL, "mirror")}
    return Batch(result, entries, cross)


def batch_agrees_with_gcc(batch: Batch, group: str) -> None:
    """What agrees_with_gcc asserts of a group run alone, of ``group`` in ``batch``: no disagreement of its entry from
    either source (another group's is its own test's), and every scenario of the batch compared (from the header's
    own text with ``original``), this group's among them."""
    name, own = batch.result.variants[0].name, f"{batch.entries[group]}/"
    for source, r in batch.cross.items():
        assert [d.divergence for d in r.disagreements if d.scenario.startswith(own)] == [], source
        compared = r.raw_compared if source == ORIGINAL else r.compared
        assert compared[name] == 2 * len(batch.entries), (source, compared, r.fallback, r.not_compared)
