"""A macro redefined between functions: each function expands the definition in force at its line.

A macro a file ``#undef``s and ``#define``s again between functions: each function expands the definition in force
at its line, as cpp reads the file top to bottom; gcc, compiling and running the same file, is the oracle."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from tests.models.cprog import gcc_returns, run

GCC = shutil.which("gcc")
HEAD = "long long f(u64 fn, struct tdx_module_args *args)\n{\n"
_SHIM = "#include <stdio.h>\ntypedef unsigned long long u64;\nstruct tdx_module_args;\n"
_NAMES = ("SH_M0", "SH_M1", "SH_W")


def _generated(seed: int) -> tuple[str, int]:
    """A file of #define/#undef lines of three macros (SH_W(x) a function-like one expanding SH_M0 or SH_M1 where
    it is used) between static functions that each return what the macros in force there make, and the entry f
    summing them weighted; how many functions. Only a macro in force is used: gcc builds every file."""
    rng = random.Random(seed)
    live: dict[str, bool] = dict.fromkeys(_NAMES, False)
    lines: list[str] = []
    functions = 0
    for _ in range(rng.randint(6, 14)):
        name = rng.choice(_NAMES)
        pick = rng.random()
        if pick < 0.4:
            if live[name]:
                lines.append(f"#undef {name}")
            body = f"((x) * {rng.randint(2, 9)} + {rng.choice(('SH_M0', 'SH_M1'))})" if name == "SH_W" else \
                f"{rng.randint(-50, 50)}"
            lines.append(f"#define {name}(x) {body}" if name == "SH_W" else f"#define {name} {body}")
            live[name] = True
        elif pick < 0.55 and live[name]:
            lines.append(f"#undef {name}")
            live[name] = False
        else:
            terms = [f"{rng.randint(1, 7)}"]
            terms += [n for n in ("SH_M0", "SH_M1") if live[n]]
            if live["SH_W"] and live["SH_M0"] and live["SH_M1"]:
                terms.append(f"SH_W({rng.randint(0, 5)})")
            lines.append(f"static long long g{functions}(void)\n{{\n\treturn {' + '.join(terms)};\n}}")
            functions += 1
    calls = " + ".join(f"g{k}() * {3 ** k}" for k in range(functions)) or "0"
    return "\n".join(lines) + "\n" + HEAD + f"\treturn {calls};\n}}\n", functions


@pytest.mark.skipif(GCC is None, reason="needs gcc, the oracle")
def test_each_function_expands_the_definition_in_force_at_its_line(tmp_path: Path) -> None:
    assert GCC is not None
    redefined = 0
    for seed in range(60):
        code, functions = _generated(seed)
        if not functions:
            continue
        redefined += any(code.count(f"#define {n}") > 1 for n in _NAMES)
        out = run(code)
        want = gcc_returns(tmp_path, _SHIM + code, [0], GCC)[0]
        assert (out.status, out.ret) == ("ok", want), (code, out.error)
    assert redefined > 30


def test_a_use_where_the_macro_is_undefined_is_still_refused() -> None:
    # Between '#undef' and the next '#define' the name is no macro: gcc reads an undeclared identifier.
    code = ("#define SH_M0 1\n#undef SH_M0\nstatic int g(void) { return SH_M0; }\n#define SH_M0 2\n"
            "static int h(void) { return SH_M0; }\n" + HEAD + "\treturn g() + h();\n}\n")
    out = run(code)
    assert out.status == "error" and "SH_M0" in (out.error or ""), out.error


def test_a_redefinition_inside_a_function_is_read_there() -> None:
    # Its uses below the inner #define see the new one, those above the old, as gcc reads it (12); the function below
    # sees the inner one (2).
    code = ("#define SH_M0 1\nstatic int g(void)\n{\n\tint a = SH_M0;\n#undef SH_M0\n#define SH_M0 2\n"
            "\treturn a * 10 + SH_M0;\n}\n" + HEAD + "\treturn g() * 10 + SH_M0;\n}\n")
    out = run(code)
    assert (out.status, out.ret) == ("ok", 122), out.error


def test_an_undef_alone_ends_the_macro_where_gcc_ends_it() -> None:
    # '#undef' with no '#define' after it: the code below reads no macro (the mirror expanded the one above).
    code = ("#define SH_M0 3\nstatic int g(void) { return SH_M0; }\n#undef SH_M0\n" + HEAD
            + '\tpr_err("%s\\n", __stringify(SH_M0));\n\treturn g();\n}\n')
    out = run(code)
    assert (out.status, out.ret, [ln.text for ln in out.log]) == ("ok", 3, ["SH_M0"]), out.error
    out = run(code.replace("\treturn g();", "\treturn g() + SH_M0;"))
    assert out.status == "error" and "SH_M0" in (out.error or ""), out.error


_UNDECIDED = ("static long long g(long long a)\n{\n\treturn a + 100;\n}\n#define g(a) ((a) * 2)\n"
              "long long above(void)\n{\n\treturn g(5);\n}\n#ifdef SH_UNDECIDED\n#undef g\n#endif\n")


@pytest.mark.skipif(GCC is None, reason="needs gcc (the oracle)")
def test_a_use_below_an_undef_under_an_undecided_if_is_refused(tmp_path: Path) -> None:
    # gcc: g(3) below '#ifdef SH_UNDECIDED / #undef g' is the macro (6) or the function (103), as the build says;
    # the mirror ran the macro ('ok', 6). Above the #undef it is the macro in either build (10), which still runs.
    below = _UNDECIDED + HEAD + "\treturn g(3);\n}\n"
    assert GCC is not None
    built = {gcc_returns(tmp_path, f"{define}{_SHIM}{below}", [0], GCC)[0]
             for define in ("", "#define SH_UNDECIDED\n")}
    assert built == {6, 103}
    out = run(below)
    assert out.status == "error" and "#undef g under #ifdef SH_UNDECIDED" in str(out.error), out.error
    assert "whether g is a macro below it is not known" in str(out.error)
    above = _UNDECIDED.replace("long long above(void)\n{\n", HEAD) + "long long other(void)\n{\n\treturn 0;\n}\n"
    assert {gcc_returns(tmp_path, f"{define}{_SHIM}{above}", [0], GCC)[0]
            for define in ("", "#define SH_UNDECIDED\n")} == {10}
    done = run(above)
    assert done.status == "ok" and done.ret == 10, done.error
