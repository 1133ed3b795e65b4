"""A retry loop's count (models.retrycount) is gcc's where the C fixes it.

A retry loop's count (models.retrycount) is gcc's where the C fixes it for x86-64 (``sizeof(long)`` is 8, a
store converts to the variable's type, an unsigned comparison converts the signed side), and said not found where
the walk does not know it: never another number (a bound read wrongly picks the wrong scripts to run)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from pycparser import c_ast

from models.retrycount import Unknown, count_calls
from tests.models.test_retrycount import NO_ENTROPY, _func

GCC = shutil.which("gcc") or shutil.which("cc")
pytestmark = pytest.mark.skipif(GCC is None, reason="needs a C compiler, the oracle")

N = "0x8000020300000000ULL"
LOOP = "u64 err; for ({init}; {cond}; {step}) {{ err = op(fn); if (err != " + N + ") break; }} return err;"
DOWN = "{decl} u64 err; do {{ err = op(fn); }} while (err == " + N + " && {test}); return err;"
TRIES = "int tries = 0; u64 err; for (;;) {{ err = op(fn); if (err != " + N + ") break; {stop} }} return err;"
HEAD = ("typedef unsigned char u8;\ntypedef unsigned short u16;\ntypedef unsigned int u32;\n"
        "typedef long long s64;\ntypedef unsigned long size_t;\ntypedef unsigned char foo_t;\nstruct s { int a; };\n"
        "static const int sc_tries = 7;\n")
# Helpers a loop may switch on the answer of, held as op is (each reaches the SEAMCALL): a 64-bit and a 32-bit return.
CALLED = ("static inline long sc_wide(u64 (*op)(u64), u64 fn) { return op(fn); }\n"
          "static inline u32 sc_narrow(u64 (*op)(u64), u64 fn) { return op(fn); }\n")
HELD = frozenset({"op", "sc_wide", "sc_narrow"})

EXACT = [  # loops gcc runs a fixed number of rounds when every answer is "no entropy"
    LOOP.format(init="int i = 0", cond="i < sizeof(long) + 2", step="i++"),
    LOOP.format(init="int i = 0", cond="i < sizeof(int) * 2 + 2", step="i++"),
    LOOP.format(init="int i = 0", cond="i < sizeof(void *) + sizeof(u16)", step="i++"),
    LOOP.format(init="int i = 0", cond="i < sizeof(u64) + sizeof(char)", step="++i"),
    LOOP.format(init="int i = 0", cond="i <= sizeof(long) - 6", step="i++"),
    LOOP.format(init="size_t i = 0", cond="i < 2 * sizeof(short)", step="i++"),
    LOOP.format(init="int i = 0", cond="i < 10UL", step="i++"),
    LOOP.format(init="int i = -1", cond="i < 10U", step="i++"),  # -1 is 0xffffffff there: no round
    LOOP.format(init="int i = -1", cond="i < 10", step="i++"),
    DOWN.format(decl="int left = sizeof(long) + 2;", test="--left"),
    DOWN.format(decl="int left = (int)sizeof(long) - 6;", test="--left"),
    DOWN.format(decl="unsigned char left = 300;", test="--left"),
    DOWN.format(decl="u8 left = 0;", test="--left"),
    DOWN.format(decl="signed char left = 260;", test="left--"),
    DOWN.format(decl="u64 left = 10;", test="left--"),
    DOWN.format(decl="int left = 0xffffffff + 11;", test="--left"),  # 10: unsigned int arithmetic wraps
    DOWN.format(decl="foo_t err2 = 0; int left = 10;", test="--left").replace("err = op", "err2 = op(fn); err = op"),
    DOWN.format(decl="int left = 10; int ret;", test="--left").replace("err = op(fn);", "ret = op(fn); err = ret;"),
    "int left = 10; int ret; do { ret = op(fn); } while (ret == " + N + " && --left); return ret;",
    TRIES.format(stop="if (++tries >= 10) break;"),
    TRIES.format(stop="if (++tries >= sizeof(long) + 2) break;"),
    TRIES.format(stop="if (tries++ >= 9) return -16;"),
    "int tries = 0; u64 err; do { err = op(fn); } while (err == " + N + " && ++tries < sizeof(long));"
    " return err;",
    "int tries = 0; u64 err; while (++tries <= 10) { err = op(fn); if (err != " + N + ") break; } return err;",
    # The status bits of the answer compared (TDX_SEAMCALL_STATUS_MASK), a mask keeping the code's bits or not.
    DOWN.format(decl="int left = 16;", test="--left").replace("err == ", "(err & 0xFFFFFFFF00000000ULL) == "),
    TRIES.format(stop="if (++tries >= 7) break;").replace("err != ", "(0xFFFFFFFF00000000ULL & err) != "),
    DOWN.format(decl="int left = 16;", test="--left").replace("err == ", "(err & 0xFFFFFFFFULL) == "),
    # Counted at the head, the bound a const of file scope or one off.
    "int tries; u64 err = 0; for (tries = 1; tries <= sc_tries; tries++) { err = op(fn); if (err != " + N + ") break; }"
    " return err;",
    "int tries = 0; u64 err = 0; while (tries++ < 10) { err = op(fn); if (err != " + N + ") break; } return err;",
    "int tries; u64 err = 0; for (tries = 1; tries < 10; tries++) { err = op(fn); if (err != " + N + ") break; }"
    " return err;",
]

# A switch on the answer (models.retryswitch): the label gcc jumps to, on through the labels below, up to a break.
SW = "int left = 10; u64 err; do {{ err = op(fn); switch ({on}) {{ {cases} }} }} while ({test}); return err;"
EXACT += [
    SW.format(on="err", cases=f"case {N}: break; default: return err;", test="--left"),
    SW.format(on="err", cases="case 0: return 0; default: break;", test="--left"),
    SW.format(on="err", cases="case 1: return 5;", test="--left"),  # no label taken: past the body
    SW.format(on="err", cases=f"case {N}: left -= 3; case 2: left++; break; default: return err;", test="--left > 0"),
    SW.format(on="err", cases=f"case {N}: if (left > 4) break; return err; default: return err;", test="--left"),
    "int left = 10; u64 err; for (;;) { err = op(fn); switch (err) { case " + N + ": if (--left) continue; break;"
    " default: break; } break; } return err;",
    # The case's constant converted to the promoted type of what the switch reads (C11 6.8.4.2p5).
    SW.format(on="(int)(err >> 32)", cases="case 0x80000203: break; default: return err;", test="--left"),
    SW.format(on="(u8)err", cases="case 0x100: return err; case 0: break;", test="--left"),
    SW.format(on="(u32)err", cases="case -1: return 1; case 0: break; default: return err;", test="left-- > 1"),
    SW.format(on="err", cases=f"case {N}: switch (left) {{ case 3: return err; }} break; default: return err;",
              test="--left"),
    # An assignment's value is its left operand's after the store, of that operand's type (C17 6.5.16p3): a u32 keeps
    # the answer's low half, 0. Before, the walk read the answer itself: 1 call where gcc makes 10, and the switch
    # refused ('the type of the value it switches on is not known').
    "int left = 10; u32 r; do { if ((r = op(fn)) != 0) return r; } while (--left); return r;",
    "int left = 10; u32 r; do { switch (r = op(fn)) { case 0: break; default: return r; } } while (--left); return r;",
    SW.format(on="err = op(fn)", cases=f"case {N}: break; default: return err;", test="--left"),
    # A call switched on directly: the answer in the 64-bit type the function returns. Before: refused ('the type of
    # the value it switches on is not known').
    SW.format(on="op(fn)", cases=f"case {N}: break; default: return err;", test="--left").replace("err = op(fn); ",
                                                                                               ""),
    "int left = 10; do { switch (op(fn)) { case 0: return 0; case " + N + ": continue; default: return 1; } } "
    "while (--left); return 2;",
    "int left = 10; do { switch (sc_wide(op, fn)) { case " + N + ": break; default: return 1; } } while (--left); "
    "return 2;",
]

UNKNOWN = [  # what the walk does not follow: said, not counted
    LOOP.format(init="int i = 0", cond="i < sizeof(long) - 10", step="i++"),  # a bound near 2**64
    LOOP.format(init="int i = 0", cond="i < sizeof(err) + 2", step="i++"),  # an expression's size
    DOWN.format(decl="unsigned int left = 0;", test="--left"),  # 2**32 rounds
    DOWN.format(decl="foo_t left = 300;", test="--left"),  # a type of the file's: 44 rounds, as an unsigned char
    DOWN.format(decl="int left = fn + 10;", test="--left"),  # a parameter
    LOOP.format(init="int i = 0", cond="i < sizeof(struct s)", step="i++"),
    # A call switched on whose function returns a narrower type (what it returns is part of the answer, not read).
    "int left = 10; do { switch (sc_narrow(op, fn)) { case 0: break; default: return 1; } } while (--left); "
    "return 2;",
    SW.format(on="fn", cases="case 0: break; default: return err;", test="--left"),  # a parameter
    SW.format(on="err", cases=f"left = 3; case {N}: break; default: return err;", test="--left"),
    SW.format(on="err", cases=f"case 1: if (left) {{ case {N}: break; }} default: return err;", test="--left"),
]


def _walked(body: str) -> tuple[c_ast.FuncDef, dict[str, int | str]]:
    """f() of ``body`` as tests.models.test_retrycount._func parses it, the CALLED helpers above it, and the file's
    constants (their declarations among them)."""
    _, consts = _func(body, HEAD + CALLED)
    func, _ = _func(body, HEAD)
    return func, consts


def _gcc_calls(tmp_path: Path, body: str) -> int | None:
    """The SEAMCALLs ``u64 f(u64 (*op)(u64), u64 fn) { body }`` makes natively, each answered "no entropy"; None
    past 2,000."""
    src, exe = tmp_path / "loop.c", tmp_path / "loop"
    src.write_text(
        "#include <stdio.h>\n#include <stdlib.h>\ntypedef unsigned long long u64;\n" + HEAD + CALLED +
        f"static int calls;\nstatic u64 answer(u64 fn)\n{{\n\tif (++calls > 2000)\n\t\texit(3);\n\treturn {N};\n}}\n"
        f"u64 f(u64 (*op)(u64), u64 fn)\n{{\n\t{body}\n}}\n"
        "int main(void)\n{\n\tf(answer, 0);\n\tprintf(\"%d\\n\", calls);\n\treturn 0;\n}\n")
    subprocess.run([str(GCC), "-std=gnu11", "-O1", "-w", "-o", str(exe), str(src)], check=True,
                   env={**os.environ, "LC_ALL": "C"})
    res = subprocess.run([str(exe)], capture_output=True, text=True, check=False)
    return int(res.stdout) if res.returncode == 0 else None


@pytest.mark.parametrize("body", EXACT)
def test_a_count_the_c_fixes_is_gccs(tmp_path: Path, body: str) -> None:
    func, consts = _walked(body)
    assert len(count_calls(func, HELD, NO_ENTROPY, consts)) == _gcc_calls(tmp_path, body)


@pytest.mark.parametrize("body", UNKNOWN)
def test_a_count_the_walk_does_not_follow_is_said_not_guessed(tmp_path: Path, body: str) -> None:
    native = _gcc_calls(tmp_path, body)
    func, consts = _walked(body)
    with pytest.raises(Unknown):
        got = count_calls(func, HELD, NO_ENTROPY, consts)
        pytest.fail(f"counted {len(got)}; gcc: {native}")
