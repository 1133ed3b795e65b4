"""A file-scope ``static_assert`` a hunk shows (the file known in part): checked where gcc decides it, else refused."""

from __future__ import annotations

import random
import shutil
import subprocess

import pytest

from models.loader import EntryPoint, Source
from models.machine import Answer
from models.mirror import ErrorKind, Outcome, RunRequest, load_mirror

PATH = "arch/x86/virt/vmx/tdx/sh.c"
GCC = shutil.which("gcc")
BODY = "int f(u64 fn, struct tdx_module_args *args)\n{\n\treturn 1;\n}"
_TYPES = ("typedef unsigned long long u64;\ntypedef unsigned int u32;\ntypedef unsigned short u16;\n"
          "typedef unsigned char u8;\ntypedef long long s64;\n#define static_assert _Static_assert\n")


def _fragment(start: int, hunk: str) -> Outcome:
    """f run from a file the mail shows in part: a hunk from line ``start`` holding the assertion, one with f."""
    src = Source(PATH, ((start, tuple(hunk.split("\n"))), (start + 40, tuple(BODY.split("\n")))), False)
    return load_mirror((src,), (EntryPoint("f"),)).run(RunRequest("f", 0, (Answer(0),)))


def _gcc_fails(hunk: str) -> bool:
    assert GCC is not None
    res = subprocess.run([GCC, "-fsyntax-only", "-std=gnu11", "-x", "c", "-"], input=_TYPES + hunk,
                         capture_output=True, text=True, check=False)
    assert res.returncode == 0 or "static assertion failed" in res.stderr, res.stderr
    return res.returncode != 0


_OPERANDS = ("sizeof(u64)", "sizeof(u32)", "sizeof(u8)", "SH_N", "SH_E", "(1 << 3)", "-1", "0x10", "(u8)300",
             "sizeof(s64) * 2", "(SH_N ? 4 : 2)", "'a'")


def _assertion(rng: random.Random) -> str:
    left, right = rng.choice(_OPERANDS), rng.choice(_OPERANDS)
    cond = f"{left} {rng.choice(('==', '!=', '<', '>=', '+ 1 >'))} {right}"
    name = rng.choice(("static_assert", "_Static_assert"))
    message = rng.choice(("", ', "sh message"'))
    if name == "_Static_assert" and not message:
        message = ', "sh"'  # C11's takes one; static_assert(e) is C2x's and the kernel's own (build_bug.h)
    split = "\n\t      " if rng.random() < 0.3 else " "
    return f"{name}({cond}{split}{message.lstrip(', ') and ',' + split + message.lstrip(', ')});"


def _hunk(seed: int) -> str:
    rng = random.Random(seed)
    lines = [f"#define SH_N {rng.randrange(0, 9)}", f"enum {{ SH_E = {rng.randrange(1, 20)} }};"]
    return "\n".join([*lines, *(_assertion(rng) for _ in range(rng.randint(1, 2)))]) + "\n"


@pytest.mark.skipif(GCC is None, reason="needs gcc, the oracle")
def test_an_assertion_a_hunk_shows_is_checked_as_gcc_checks_it() -> None:
    failed = 0
    for seed in range(60):
        hunk = _hunk(seed)
        out = _fragment(12, hunk)
        if _gcc_fails(hunk):
            failed += 1
            assert out.error_kind is ErrorKind.BUILD and "static assertion failed" in (out.error or ""), (hunk, out)
        else:
            assert (out.status, out.ret) == ("ok", 1), (hunk, out.error)
    assert 10 < failed < 50


@pytest.mark.parametrize(("hunk", "said"), [
    ("static_assert(SH_UNSEEN == 3);\n", f"{PATH}:12: not an integer constant expression: 'SH_UNSEEN'"),
    ("static_assert(sizeof(struct sh_unseen) == 16);\n", f"{PATH}:12: struct sh_unseen is used but never defined"),
    ("struct sh_k { u32 a; u64 b; };\nstatic_assert(sizeof(struct sh_k) == 12);\n", f"{PATH}:12: struct sh_k: "),
])
def test_an_assertion_a_hunk_shows_that_names_what_is_not_known_is_refused_not_a_build_failure(
        hunk: str, said: str) -> None:
    # was ErrorKind.BUILD: a failed build claimed where gcc builds the file once the name is defined above the hunk
    out = _fragment(12, hunk)
    assert out.status == "error" and out.error_kind is ErrorKind.UNSUPPORTED, out.error
    assert (out.error or "").startswith(said) and "a file-scope assertion the mirror cannot evaluate" in out.error


def test_an_assertion_cut_by_the_hunk_does_not_stop_the_run() -> None:
    # the hunk ends inside it (or starts inside it): nothing the mirror can read, and no crash
    assert (_fragment(12, "static_assert(sizeof(u64) ==\n").status, _fragment(12, "\t\t8, \"x\");\n").status) == \
        ("ok", "ok")
