"""A kernel macro the code ``#undef``s is no macro below that line, as gcc -E reads it.

A kernel macro (one the prelude stands in for) that the code ``#undef``s: below that line it is no macro, as gcc -E
reads the file; gcc, compiling and running the same file after the kernel's definitions, is the oracle."""

from __future__ import annotations

import random
import shutil
import subprocess
from pathlib import Path

import pytest

from models.mirror import Outcome
from tests.models.cprog import gcc_returns, run

GCC = shutil.which("gcc")
HEAD = "long long f(u64 fn, struct tdx_module_args *args)\n{\n"
# What the kernel's headers define (include/vdso/bits.h, include/uapi/asm-generic/errno-base.h, include/linux/
# wordpart.h, include/linux/stringify.h), as a .c file has them from its #includes at the top.
_SHIM = ("#include <stdio.h>\ntypedef unsigned long long u64;\ntypedef unsigned int u32;\nstruct tdx_module_args;\n"
         "#define BIT(nr) (1UL << (nr))\n#define EIO 5\n#define ENODEV 19\n"
         "#define lower_32_bits(n) ((u32)((n) & 0xffffffff))\n#define upper_32_bits(n) ((u32)(((n) >> 16) >> 16))\n"
         "#define __stringify_1(x...) #x\n#define __stringify(x...) __stringify_1(x)\n")
_FUNCTIONS = ("BIT", "lower_32_bits", "upper_32_bits")
_OBJECTS = ("EIO", "ENODEV")


def _use(rng: random.Random, name: str, state: str) -> str:
    """A term using ``name``: a macro of the kernel's (state "macro") or the file's own C (state "c")."""
    if name in _OBJECTS and rng.random() < 0.5:
        return f"(long long)sizeof(__stringify({name}))"  # "5" or "EIO": which one gcc makes
    return f"(long long){name}({rng.randint(0, 40)})" if name in _FUNCTIONS else f"(long long){name}"


def _generated(seed: int) -> str:
    """#undef lines of kernel macros, each then given a C definition of the file's own or none, between functions
    that use the names where gcc builds them."""
    rng = random.Random(seed)
    state = dict.fromkeys((*_FUNCTIONS, *_OBJECTS), "macro")
    lines, functions = [], 0
    for _ in range(rng.randint(5, 12)):
        name, pick = rng.choice(list(state)), rng.random()
        if pick < 0.25 and state[name] == "macro":
            lines.append(f"#undef {name}")
            state[name] = "gone"
        elif pick < 0.45 and state[name] == "gone":
            lines.append(f"static long long {name}(long long x)\n{{\n\treturn x * 3 + 1;\n}}" if name in _FUNCTIONS
                         else f"static const int {name} = {rng.randint(30, 90)};")
            state[name] = "c"
        else:
            terms = [str(rng.randint(1, 9))] + [_use(rng, n, s) for n, s in state.items() if s != "gone"
                                                 and rng.random() < 0.5]
            lines.append(f"static long long g{functions}(void)\n{{\n\treturn {' + '.join(terms)};\n}}")
            functions += 1
    calls = " + ".join(f"g{k}() * {5 ** k}" for k in range(functions)) or "0"
    return "\n".join(lines) + "\n" + HEAD + f"\treturn {calls};\n}}\n"


@pytest.mark.skipif(GCC is None, reason="needs gcc, the oracle")
def test_a_kernel_macro_the_code_undefines_is_no_macro_below(tmp_path: Path) -> None:
    # the prelude's fallback stood in below the #undef: BIT(3) was 8 where gcc calls the file's own BIT()
    assert GCC is not None
    undefined = 0
    for seed in range(40):
        code = _generated(seed)
        undefined += "#undef" in code and "static long long g" in code.split("#undef", 1)[1]
        out = run(code)
        want = gcc_returns(tmp_path, _SHIM + code, [0], GCC)[0]
        assert (out.status, out.ret) == ("ok", want), (code, out.error)
    assert undefined > 15


@pytest.mark.parametrize(("use", "said"), [
    ("BIT(3)", "call to unknown function BIT()"), ("-EIO", "unknown identifier 'EIO'"),
    ("SH_MASK", "call to unknown function BIT()"),  # the file's own macro expanding it, after the #undef
])
def test_a_use_of_a_kernel_macro_after_its_undef_is_not_the_kernel_s(use: str, said: str) -> None:
    # gcc: an implicit declaration of BIT() (an error under the kernel's -Werror=implicit-function-declaration),
    # 'EIO' undeclared; the mirror ran the prelude's (8, -5)
    code = f"#undef BIT\n#undef EIO\n#define SH_MASK BIT(2)\n{HEAD}\treturn {use};\n}}\n"
    out = run(code)
    assert out.status == "error" and said in (out.error or ""), out.error
    assert run(code.replace("#undef BIT\n#undef EIO\n", "")).status == "ok"


def test_a_use_above_the_undef_and_in_the_body_before_it_is_the_kernel_s() -> None:
    code = (f"{HEAD}\tlong long a = BIT(2);\n#undef BIT\n\treturn a + sizeof(__stringify(BIT));\n}}\n"
            "static long long g(void)\n{\n\treturn BIT(1);\n}\n")
    out = run(code)
    assert (out.status, out.ret) == ("ok", 4 + len("BIT") + 1), out.error


def test_the_undef_is_in_the_key_of_the_code_that_uses_the_name() -> None:
    # the outcome cache would give a run of the prelude's BIT() for code below '#undef BIT'
    from models.loader import EntryPoint, Source, entry_keys

    def key(code: str) -> str | None:
        return entry_keys((Source("a/b.c", ((1, tuple(code.split("\n"))),), True),), (EntryPoint("f"),))["f"]

    code = f"#undef BIT\n{HEAD}\treturn BIT(3);\n}}\n"
    assert key(code) != key(code.replace("#undef BIT", "#undef EIO"))
    assert key(code.replace("BIT(3)", "7")) == key(code.replace("BIT(3)", "7").replace("#undef BIT", "#undef EIO"))


def _builds(tmp_path: Path, files: dict[str, str], *flags: str) -> bool:
    """Whether gcc builds a/b.c (after the kernel's definitions) as kbuild does: an implicit declaration an error."""
    assert GCC is not None
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    done = subprocess.run([GCC, "-fsyntax-only", "-Werror=implicit-function-declaration", "-include",
                           str(tmp_path / "shim.h"), *flags, str(tmp_path / "b.c")], capture_output=True, check=False)
    return done.returncode == 0


def _run_files(files: dict[str, str]) -> Outcome:
    from models.loader import EntryPoint, Source
    from models.machine import Answer
    from models.mirror import RunRequest, load_mirror

    sources = tuple(Source(f"a/{n}", ((1, tuple(t.split("\n"))),), True) for n, t in files.items())
    return load_mirror(sources, (EntryPoint("f", ("fn", "args")),)).run(RunRequest("f", 0, (Answer(0),), ""))


@pytest.mark.skipif(GCC is None, reason="needs gcc, the oracle")
@pytest.mark.parametrize("use", ["BIT(3)", "-EIO", "SH_MASK"])
def test_an_undef_the_mirror_cannot_place_leaves_the_name_not_known(tmp_path: Path, use: str) -> None:
    # the prelude's stayed: BIT(3) ran 8, -EIO -5, where gcc refuses one build (-DSH_FOO; the header included)
    shim = _SHIM.replace("#include <stdio.h>\n", "")
    code = f"#define SH_MASK BIT(2)\n{HEAD}\treturn {use};\n}}\n"
    cases = [({"b.c": f"#ifdef SH_FOO\n#undef BIT\n#undef EIO\n#endif\n{code}"}, "under #ifdef SH_FOO", "-DSH_FOO"),
             ({"h.h": "#undef BIT\n#undef EIO\n", "b.c": f"#include \"h.h\"\n{code}"}, "in a header", "")]
    for files, said, flag in cases:
        assert _builds(tmp_path, {"shim.h": shim, **files}) != _builds(tmp_path, {"shim.h": shim, **files}, flag) \
            if flag else not _builds(tmp_path, {"shim.h": shim, **files})
        out = _run_files(files)
        assert out.status == "error" and said in (out.error or "") and "#undef" in (out.error or ""), out.error
    above = f"{HEAD}\treturn BIT(3);\n}}\n#ifdef SH_FOO\n#undef BIT\n#endif\n"  # above it: the kernel's in both
    assert _builds(tmp_path, {"shim.h": shim, "b.c": above}, "-DSH_FOO")
    assert (_run_files({"b.c": above}).ret, _run_files({"b.c": above}).status) == (8, "ok")
