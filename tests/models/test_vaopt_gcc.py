"""``__VA_OPT__`` (models/vaopt.py) against gcc -E -std=gnu2x on generated macros, and in a run of the mirror."""

from __future__ import annotations

import random
import re
import shutil
import subprocess

import pytest

from models.cpp import _preprocess
from models.errors import LoadError
from tests.models.cprog import run

GCC = shutil.which("gcc")


def _gcc12() -> bool:
    """gcc 12 on decides __VA_OPT__ on the variable argument once expanded (P1042R1): gcc 8 to 11 on it as written."""
    if GCC is None:
        return False
    version = subprocess.run([GCC, "-dumpversion"], capture_output=True, text=True, check=False).stdout.strip()
    return version.split(".")[0].isdigit() and int(version.split(".")[0]) >= 12


needs_gcc12 = pytest.mark.skipif(not _gcc12(), reason="needs gcc 12 or later (the oracle of __VA_OPT__)")

PRELUDE = "#define EMPTY\n#define ONE 1\n#define PLUS +\n#define S(x...) #x\n#define XS(x...) S(x)\n"
# Pieces of a body: tokens, the parameters (plain, # and ## operands), __VA_OPT__ groups (plain, # operand).
# (No parentheses: an unbalanced expansion in XS() is pcpp's own matter, as is a ## of a body without __VA_OPT__.)
_WORDS = ("x", "1", "+", ",", "a", "__VA_ARGS__", "#a", "#__VA_ARGS__", "ONE")
_ARGS = ("", "EMPTY", "1", "p q", "ONE", "EMPTY EMPTY", "+", "  s ,  t ", "\"q\\n\" 'c'", "PLUS")


def _content(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randrange(0, 4))]
    if len(words) >= 2 and rng.random() < 0.4:
        at = rng.randrange(1, len(words))
        words.insert(at, "##")
    return " ".join(words)


def _body(rng: random.Random) -> str:
    parts: list[str] = []
    for _ in range(rng.randrange(1, 5)):
        kind = rng.random()
        if kind < 0.45:
            parts.append(("#" if rng.random() < 0.2 else "") + f"__VA_OPT__({_content(rng)})")
        elif kind < 0.6 and parts:
            parts.append("##")
        else:
            parts.append(rng.choice(_WORDS))
    while parts and parts[-1] == "##":
        parts.pop()
    if parts and parts[0] == "##":
        parts.pop(0)
    body = " ".join(parts)
    return body if "__VA_OPT__" in body else f"{body} __VA_OPT__({_content(rng)})"


def _cases(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for i in range(count):
        rest = ", ".join(rng.choice(_ARGS) for _ in range(rng.randrange(0, 3)))
        call = f"F({rng.choice(_ARGS)}{', ' + rest if rest or rng.random() < 0.3 else ''})"
        use = call if rng.random() < 0.7 else f"XS({call})"
        out.append(f"#define F(a, ...) {_body(rng)}\n<{i}> {use} <end>\n#undef F\n")
    return out


_TOKEN = re.compile(r'"(?:\\.|[^"\\])*"|\'(?:\\.|[^\'\\])*\'|\.?[0-9](?:[eEpP][+-]|[0-9A-Za-z_.])*|\w+|##|\S')


def _lines(text: str) -> dict[str, list[str]]:
    """Each case's tokens as written, by its number (white space aside: gcc and pcpp space them apart differently)."""
    found = re.findall(r"<(\d+)>(.*?)<end>", re.sub(r"\n#line [^\n]*\n", " ", text), re.DOTALL)
    return {n: _TOKEN.findall(body) for n, body in found}


def _gcc(source: str) -> str | None:
    assert GCC is not None
    done = subprocess.run([GCC, "-E", "-P", "-std=gnu2x", "-x", "c", "-"], input=source, capture_output=True,
                          text=True, check=False)
    return done.stdout if done.returncode == 0 else None


@needs_gcc12
@pytest.mark.parametrize("seed", range(4))
def test_va_opt_expands_as_gcc_does(seed: int) -> None:
    # pcpp 1.30 left __VA_OPT__ in the text: the mirror refused every such macro ("not modelled")
    compared = 0
    for case in _cases(seed, 60):
        want = _gcc(PRELUDE + case)
        if want is None:  # gcc refuses it (pasting two tokens into none, ...): so must the mirror
            with pytest.raises(LoadError):
                _preprocess(PRELUDE + case)
            continue
        assert _lines(_preprocess(PRELUDE + case)) == _lines(want), case
        compared += 1
    assert compared >= 30


_FIXED = (
    "#define G(...) f(0 __VA_OPT__(,) __VA_ARGS__)\n<0> G() G(EMPTY) G(1, 2) G(G()) <end>\n",
    "#define G(a, ...) __VA_OPT__(a)a +__VA_OPT__()+ a\n<0> G(1, 2) G(-, 1) G(1) <end>\n",
    "#define G(a, ...) x ## __VA_OPT__(a) ## y __VA_OPT__(a ## a)\n<0> G(ONE, 1) G(ONE) G(1, EMPTY) <end>\n",
    "#define G(a, ...) # __VA_OPT__(a   \"q\\n\"  __VA_ARGS__)\n<0> G(ONE, 1  2) G(ONE) <end>\n",
    "#define G(f, ...) g(f, ##__VA_ARGS__) __VA_OPT__(z)\n<0> G(1) G(1,) G(1, 2) <end>\n",
    "#define G(...) __VA_OPT__(__VA_ARGS__ ## x)\n<0> G(a b) G() <end>\n",
    # __COUNTER__ pasted into names (a number of it is refused: models.cppstops.refuse_counted)
    "#define P(a, b) a ## b\n#define X(a, b) P(a, b)\n#define C X(n, __COUNTER__)\n"
    "#define G(...) __VA_OPT__(__VA_ARGS__) __VA_ARGS__\n<0> G(C) C <end>\n",
)


@needs_gcc12
@pytest.mark.parametrize("case", _FIXED)
def test_va_opt_edge_cases_are_gcc_s(case: str) -> None:
    want = _gcc(PRELUDE + case)
    assert want is not None
    assert _lines(_preprocess(PRELUDE + case)) == _lines(want)


@pytest.mark.parametrize(("body", "said"), [
    ("__VA_OPT__(1", "unterminated __VA_OPT__"), ("__VA_OPT__", "unterminated __VA_OPT__"),
    ("__VA_OPT__(__VA_OPT__(1))", "__VA_OPT__ may not appear in a __VA_OPT__"),
    ("__VA_OPT__(## 1)", "'##' cannot appear at either end of __VA_OPT__"),
    ("a ## __VA_OPT__(+)", 'pasting "1" and "+" does not give a valid preprocessing token'),
])
def test_a_va_opt_gcc_refuses_is_refused_at_its_line(body: str, said: str) -> None:
    # gcc -E exits 1 on each ("error: unterminated __VA_OPT__", ...); the mirror must not guess an expansion
    with pytest.raises(LoadError) as err:
        _preprocess(f"int x;\n#define G(a, ...) {body}\nG(1, 2)\n")
    assert err.value.where == "<tu>:2" and said in err.value.message
    if GCC is not None:
        assert _gcc(f"int x;\n#define G(a, ...) {body}\nG(1, 2)\n") is None


def test_a_va_opt_macro_runs_in_the_mirror() -> None:
    # was refused: 'a/b.h:4: __VA_OPT__ in a variadic macro's body is not modelled'
    code = ("#define LOG(fmt, ...) pr_err(fmt __VA_OPT__(,) __VA_ARGS__)\n"
            "#define LOG_N(...) (10 __VA_OPT__(+ sizeof((int[]){__VA_ARGS__}) / sizeof(int)))\n"
            "int f(u64 fn, struct tdx_module_args *args)\n{\n\tLOG(\"x %d\\n\", 7);\n\tLOG(\"y\\n\");\n"
            "\treturn LOG_N(1, 2) + LOG_N();\n}\n")
    out = run(code)
    assert out.status == "ok", out.error
    assert [x.text for x in out.log] == ["x 7", "y"]
    assert out.ret == 12 + 10
