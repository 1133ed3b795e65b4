"""A group of C pieces run one after another by busy(): the mirror's runs and gcc's builds of them agree."""

from __future__ import annotations

import re
from pathlib import Path

from harness.crosscheck import ORIGINAL, crosscheck_result
from harness.matrixresult import MatrixResult
from models.native.run import find_compiler
from tests.harness.variantgen import header_result

STATUS = 0x8000020300000043  # what the script's SEAMCALLs answer


def group_header(text: str) -> str:
    """The group's pieces, then busy(): each piece run in turn, their results mixed (u64 wraps)."""
    names = re.findall(r"^static (?:long long|int) (pw[2345]?_\w+)\(u64 fn", text, re.MULTILINE)
    calls = "".join(f"\tr = r * 1000003 + (u64){n}(fn, args);\n" for n in names)
    return text + ("static long long busy(u64 fn, struct tdx_module_args *args)\n{\n\tu64 r = 0;\n\n" + calls
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
