"""A file-scope ``#error``: where ``gcc -E`` stops, no entry point runs; where the mail cannot tell, none is judged.

The oracle is gcc's preprocessor run on the same file in the configuration the mirror models (models.conditional:
every CONFIG_ option the code tests set but CONFIG_X86_32, ``__KERNEL__`` defined, ``__ASSEMBLY__`` not).
"""

from __future__ import annotations

import random
import shutil
import subprocess
from collections.abc import Callable

import pytest

from models.loader import EntryPoint, Source
from models.machine import Answer
from models.mirror import ErrorKind, Outcome, RunRequest, load_mirror
from tests.models.cprog import PATH, run

GCC = shutil.which("gcc") or shutil.which("cc")
BODY = "int f(u64 fn, struct tdx_module_args *args)\n{\n\treturn 1;\n}\n"
# The configuration as gcc is told it: what models.conditional assumes of the kernel build (IS_ENABLED of a set
# option is 1, of an unset one 0, as include/linux/kconfig.h makes it).
CONFIG = ["-D__KERNEL__", "-U__ASSEMBLY__", "-DCONFIG_SH_ON=1", "-DIS_ENABLED(x)=(x)"]


_TYPES = "typedef unsigned long long u64;\nstruct tdx_module_args;\n#define static_assert _Static_assert\n"


def _gcc_stops(text: str) -> bool:
    assert GCC is not None
    res = subprocess.run([GCC, "-fsyntax-only", "-std=gnu11", "-x", "c", *CONFIG, "-"], input=_TYPES + text,
                         capture_output=True, text=True, check=False)
    assert res.returncode == 0 or "error: #error" in res.stderr or "static assertion failed" in res.stderr, res.stderr
    return res.returncode != 0


# Conditions the mirror decides (models.conditional), each with what the generator may put around it.
_TESTS = ("#if 0", "#if 1", "#if (3 << 2) > 11", "#ifdef __KERNEL__", "#ifndef __KERNEL__", "#ifdef __ASSEMBLY__",
          "#if !defined(__ASSEMBLY__)", "#ifdef CONFIG_SH_ON", "#ifndef CONFIG_SH_ON", "#ifdef CONFIG_X86_32",
          "#if IS_ENABLED(CONFIG_SH_ON)", "#if IS_ENABLED(CONFIG_X86_32)", "#if defined(SH_A) && SH_A > 1",
          "#ifdef SH_A", "#if SH_B == 4")


def _items(rng: random.Random, depth: int) -> list[str]:
    """Random lines of ``#error``s, ``#define``s and ``#undef``s of SH_A (SH_B is 4) and groups of conditionals."""
    out: list[str] = []
    for _ in range(rng.randint(1, 3)):
        pick = rng.random()
        if pick < 0.1:
            out.append(f"#error gen {rng.randrange(1000)}")
        elif pick < 0.45 or depth == 3:
            out.append(rng.choice(("#define SH_A 2", "#define SH_A 1", "#undef SH_A")))
        else:
            out += [rng.choice(_TESTS), *_items(rng, depth + 1)]
            for _ in range(rng.randint(0, 2)):
                out += [rng.choice(("#elif ", "#elif !")) + rng.choice(("1", "0", "defined(CONFIG_SH_ON)")),
                        *_items(rng, depth + 1)]
            out += ["#else", *_items(rng, depth + 1)] if rng.random() < 0.5 else []
            out.append("#endif")
    return out


def _generated(seed: int) -> str:
    rng = random.Random(seed)
    # SH_A's state is known from the first line on (never undecided); f at file scope, above, between or below.
    groups = [["#define SH_B 4", "#undef SH_A"]] + [_items(rng, 1) for _ in range(rng.randint(1, 3))]
    groups.insert(rng.randint(1, len(groups)), [BODY.rstrip("\n")])
    return "\n".join(ln for g in groups for ln in g) + "\n"


def _stops_as_gcc(generate: Callable[[int], str], seeds: int) -> int:
    """How many of the generated files gcc stops on; each asserted to stop the mirror's entry point alike (a BUILD
    error naming the #error), or to run it, as gcc builds it."""
    stopped = 0
    for seed in range(seeds):
        text = generate(seed)
        out = run(text)
        if _gcc_stops(text):
            stopped += 1
            assert out.status == "error" and out.error_kind is ErrorKind.BUILD, (text, out.error)
            assert ": #error gen " in (out.error or "") and "gcc stops the build here" in (out.error or ""), out.error
        else:
            assert (out.status, out.ret) == ("ok", 1), (text, out.error)
    return stopped


@pytest.mark.skipif(GCC is None, reason="needs gcc, the oracle")
def test_a_file_scope_error_stops_every_entry_point_where_gcc_stops() -> None:
    stopped = _stops_as_gcc(_generated, 200)
    assert 40 < stopped < 160  # both kinds were generated


def _generated_inside(seed: int) -> str:
    """_generated()'s directives inside an item: a table's initializer (a conditional block in it), or a body."""
    rng = random.Random(seed)
    items = [ln for _ in range(rng.randint(1, 3)) for ln in _items(rng, 1)]
    inside = [f"\t{rng.randrange(9)}," if not ln.startswith("#") and rng.random() < 0.3 else ln for ln in items]
    item = (["static const int sh_tbl[] = {", "\t1,", *inside, "\t2,", "};"] if seed % 2 else
            ["static int sh_g(void)", "{", *inside, "\treturn 0;", "}"])
    return "\n".join(["#define SH_B 4", "#undef SH_A", *item, BODY.rstrip("\n")]) + "\n"


@pytest.mark.skipif(GCC is None, reason="needs gcc, the oracle")
def test_an_error_inside_an_initializer_or_a_body_stops_every_entry_point_where_gcc_stops() -> None:
    # f does not use the item: the mirror read such an #error only where the item was expanded (an entry point that
    # reached the table was an error, the others ran where gcc stops the build), and never one under an #if it
    # cannot decide
    stopped = _stops_as_gcc(_generated_inside, 120)
    assert 20 < stopped < 100  # both kinds were generated


def test_an_error_inside_an_initializer_under_a_condition_not_decided_is_not_judged() -> None:
    out = run("static const int sh_tbl[] = {\n\t1,\n#if SH_UNSEEN > 1\n#error x\n#endif\n};\n" + BODY)
    assert out.status == "error" and out.error_kind is ErrorKind.UNSUPPORTED, out.error
    assert out.error == (f"{PATH}:4: #error x under #if SH_UNSEEN > 1 ({PATH}:3), which the mirror cannot decide: "
                         "whether gcc builds these files is not known")


def test_the_error_said_is_the_first_gcc_stops_at() -> None:
    text = "#if 0\n#error not this\n#endif\n" + BODY + "#ifndef CONFIG_X86_32\n#error \"needs 64-bit\"\n#endif\n"
    out = run(text)
    assert out.error == f'{PATH}:9: #error "needs 64-bit": gcc stops the build here', out.error
    if GCC is not None:
        assert _gcc_stops(text)


@pytest.mark.parametrize("text", [
    "#if SH_UNSEEN > 1\n#error x\n#endif\n",  # a macro of a header no line read
    "#ifdef SH_UNSEEN\n#else\n#error x\n#endif\n",
    "#if SH_UNSEEN > 1\nstatic_assert(0, \"x\");\n#endif\n",  # a failing static_assert no build may hold either
    # below a #line, which gcc numbers it 102 by: found by its line in the file (before: a build failure, certain)
    "#line 100\n#if SH_UNSEEN > 1\nstatic_assert(0, \"x\");\n#endif\n",
])
def test_an_error_under_a_condition_not_decided_is_not_judged(text: str) -> None:
    out = run(text + BODY)
    assert out.status == "error" and out.error_kind is ErrorKind.UNSUPPORTED, out.error
    assert "which the mirror cannot decide: whether gcc builds these files is not known" in (out.error or "")
    if GCC is not None:  # gcc does either, as the header would define SH_UNSEEN
        assert {_gcc_stops(text), _gcc_stops("#define SH_UNSEEN 2\n" + text)} == {True, False}


def _fragment(start: int, lines: str) -> Outcome:
    """f run from a file the mail shows in part: a hunk from line ``start`` with these lines, one with f."""
    hunk = tuple(lines.split("\n"))
    src = Source(PATH, ((start, hunk), (start + 40, tuple(BODY.split("\n")))), False)
    mirror = load_mirror((src,), (EntryPoint("f"),))
    return mirror.run(RunRequest("f", 0, (Answer(0),)))


def test_an_error_a_hunk_shows_is_judged_only_with_the_lines_above_it() -> None:
    # An #error is written under a guard: a hunk from line 12 may show it without the #if above line 12.
    out = _fragment(12, "#error needs the guard\n")
    assert out.status == "error" and out.error_kind is ErrorKind.UNSUPPORTED, out.error
    assert f"{PATH}:12: #error needs the guard under an #if above line 12 of {PATH}" in (out.error or "")
    # A hunk from the first line shows every #if around it; one in a branch not built is none either way.
    assert _fragment(1, "#error from the top\n").error_kind is ErrorKind.BUILD
    assert _fragment(12, "#ifdef CONFIG_X86_32\n#error not built\n#endif\n").status == "ok"
