"""Helpers to run small C programs of our own through the mirror."""

from __future__ import annotations

import platform
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path

import pytest

from models.loader import EntryPoint, Source
from models.machine import Answer
from models.mirror import Mirror, Outcome, RunRequest, load_mirror

PATH = "test/prog.c"
GCC = shutil.which("gcc")
# For the gcc stand-ins that run an x86 instruction themselves (cmpxchg and its per-CPU forms) in inline asm.
needs_x86_gcc = pytest.mark.skipif(GCC is None or platform.machine() != "x86_64",
                                   reason="needs gcc on x86-64 (the shim runs the x86 instructions)")


def mirror_of(code: str, *entries: str, args: tuple[str, ...] = ("fn", "args")) -> Mirror:
    lines = tuple(code.split("\n"))
    return load_mirror((Source(PATH, ((1, lines),), True),), tuple(EntryPoint(e, args) for e in entries))


def run(code: str, entry: str = "f", leaf: int = 0, script: tuple[int, ...] = (0,), pr_fmt: str = "",
        budget: int = 100_000, regs: tuple[tuple[str, int], ...] = (), context: str = "task",
        features: tuple[tuple[str, bool], ...] = ()) -> Outcome:
    m = mirror_of(code, entry)
    return m.run(RunRequest(entry, leaf, tuple(Answer(c) for c in script), pr_fmt, regs_in=regs, budget=budget,
                            context=context, features=features))


def ret(code: str, **kw: object) -> int | None:
    out = run(code, **kw)  # type: ignore[arg-type]
    assert out.status == "ok", out.error
    return out.ret


def line_of(code: str, needle: str) -> int:
    return next(i for i, ln in enumerate(code.split("\n"), start=1) if needle in ln)


def ret_for_err(code: str, err: int) -> int | None:
    """What ``long long f(u64 err, struct tdx_module_args *args)`` of ``code`` returns for ``err``: it runs as a
    static ``g`` that an entry point ``f(fn, args)`` calls with ``err`` as a constant (the matrix feeds a leaf, not
    an error code)."""
    code = code.replace("long long f(u64 err,", "static long long g(u64 err,") + (
        f"long long f(u64 fn, struct tdx_module_args *args)\n{{\n\treturn g({err:#x}ULL, args);\n}}\n")
    return ret(code)


def mirror_returns(code: str, arg: int, helper: str = "g", budget: int = 100_000) -> int | None:
    """What ``long long f(u64 fn, struct tdx_module_args *args)`` of ``code`` returns for ``fn`` = ``arg`` in the
    mirror: it runs as a static ``helper`` that an entry point ``f(fn, args)`` calls with ``arg`` as a constant (the
    mirror's half of gcc_returns, which calls ``f(arg, 0)`` natively)."""
    code = code.replace("long long f(u64 fn,", f"static long long {helper}(u64 fn,") + (
        f"long long f(u64 fn, struct tdx_module_args *args)\n{{\n\treturn {helper}({arg:#x}ULL, args);\n}}\n")
    return ret(code, budget=budget)


def gcc_returns(tmp_path: Path, program: str, args: Iterable[int], gcc: str) -> list[int]:
    """What ``f(arg, 0)`` of ``program`` (a shim and the code, ``long long`` printed by main) returns natively for
    each of ``args``, compiled by ``gcc`` as the crosscheck does (-std=gnu11 -fwrapv -funsigned-char -O1), once,
    and run once for each argument (main reads it in hex), each run a process of its own: every mirror run starts
    from the initializers."""
    src, exe = tmp_path / "prog.c", tmp_path / "prog"
    src.write_text(program + "int main(int argc, char **argv)\n{\n\tunsigned long long a = 0;\n\n\t"
                   "for (const char *p = argv[1]; *p; p++)\n\t\ta = a * 16 + (*p <= '9' ? *p - '0' : *p - 'a' + 10);\n"
                   "\tprintf(\"%lld\\n\", f(a, 0));\n\treturn 0;\n}\n")
    subprocess.run([gcc, "-std=gnu11", "-fwrapv", "-funsigned-char", "-O1", "-o", str(exe), str(src)],
                   check=True, capture_output=True)
    return [int(subprocess.run([str(exe), f"{a:x}"], check=True, capture_output=True, text=True).stdout) for a in args]


def busy_agrees_with_gcc(tmp_path: Path, code: str, shift: int, header: tuple[str, str], big: int,
                         source: str) -> None:
    """``code``'s ``f`` made ``static long long busy()`` fed ``__seamcall(fn, args) >> shift`` as its ``fn``, put in
    a header (``header``: matrix name, path) whose scripts answer 0 (``ok``) and ``big``: both run, they differ, and
    crosscheck (``source``: crosscheck's ORIGINAL or "mirror") finds gcc agrees, comparing both where it builds
    the original."""
    from harness.crosscheck import ORIGINAL, crosscheck_result
    from models.native.run import find_compiler
    from tests.harness.variantgen import header_result

    code = code.replace("long long f(u64 fn, struct tdx_module_args *args)",
                        "static long long busy(u64 fn, struct tdx_module_args *args)")
    code = code.replace("\tlong long r = 0;", f"\tlong long r = 0;\n\n\tfn = __seamcall(fn, args) >> {shift};", 1)
    name = header[0]
    result = header_result(tmp_path, name, header[1], code, big)
    ok, other = (result.outcome(name, f"busy/ONE/{s}/demo.c") for s in ("ok", "big"))
    assert ok.status == other.status == "ok", (ok.error, other.error)
    assert ok.ret != other.ret
    r = crosscheck_result(result, find_compiler(None), source=source)
    assert r.disagreements == [], [d.divergence for d in r.disagreements]
    assert source != ORIGINAL or r.raw_compared[name] == 2, r.raw_compared
