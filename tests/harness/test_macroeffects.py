"""What function-like macros do to their parameters (harness.macroeffects), checked against patterns naming them."""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import harness.macroeffects as me

# Pieces of C a macro body is made of: the parameter's name, names it is part of or a member of, every operator the
# patterns read (stores, steps, '&' after what no operand ends with, casts, subscripts), words the patterns spell out.
_PARAMS = ["v", "val", "x1", "return", "const", "_"]
_PIECES = ["v", "val", "x1", "vv", "v_", "_", "return", "const", "struct", "int", "sc_tries", "__sh_param__",
           " ", "\n", "(", ")", "[", "]", ".", "->", ",", ";", "{", "}", "&", "&&", "*", "=", "==", "+=", "<<=", "++",
           "--", "-", "+", "!", "?", ":", "0", "(void *)", "(unsigned long)", "\\\n"]


def _own_by_name(body: str, param: str) -> bool | None:
    """The answer of STEPPED and ADDRESS compiled with ``param`` in them, as harness.outsidewrites reads a variable."""
    if re.search(me.STEPPED.format(v=r"(?<![.>])" + re.escape(param)), body):
        return True
    return False if re.search(me.ADDRESS.format(v=re.escape(param)), body, re.MULTILINE) else None


def _body_by_name(text: str, params: list[str]) -> str:
    """A parameter's own parentheses dropped with a pattern naming it, parameter by parameter."""
    body = text.replace("\\\n", " \n")
    for p in params:
        body = re.sub(rf"(\w\s*)?\(\s*({re.escape(p)})\s*\)", lambda m: m.group() if m.group(1) else m.group(2), body)
    return body


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=14), st.sampled_from(_PARAMS))
def test_what_a_body_does_to_a_parameter_is_what_the_patterns_naming_it_find(pieces: list[str], param: str) -> None:
    body = "".join(pieces)
    assert me._own_effect(body, param) == _own_by_name(body, param)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=14), st.lists(st.sampled_from(_PARAMS), max_size=3))
def test_a_parameters_own_parentheses_are_dropped_as_a_pattern_naming_it_drops_them(pieces: list[str],
                                                                                   params: list[str]) -> None:
    text = "".join(pieces)
    assert me._body(text, params) == _body_by_name(text, params)


@pytest.mark.parametrize(("body", "params", "effect"), [
    ("(a)(b) = 1", ["a", "b"], None),  # 'a(b) = 1' once a's parentheses are gone: b's, after a name, are a call's
    ("(a)(b) = 1", ["b"], True),  # '(a)b = 1'
    ("do { (b) = (val); } while (0)", ["val", "b"], True),
    ("p->b = 1; s.b++", ["b"], None),  # a member of that name
    ("f(&(b))", ["b"], False),
    ("b_y = 1; &bb", ["b"], None),  # names the parameter is part of
    ("__sh_param__ = 1; b + 1", ["b"], None),  # the mark itself in the body: read by the pattern naming b
    ("f(0); return &return", ["return"], False),  # a word the address pattern spells out ('return &x')
])
def test_what_a_few_bodies_do_to_their_last_parameter(body: str, params: list[str], effect: bool | None) -> None:
    found = me._own_effect(me._body(body, params), params[-1])
    assert found == effect == _own_by_name(_body_by_name(body, params), params[-1])


def test_the_kernel_macros_storing_to_a_parameter_are_found() -> None:
    effects = me.prelude_effects()
    assert effects["WRITE_ONCE"] == {0: True}  # include/asm-generic/rwonce.h: '(x) = (val)'
    assert effects["swap"] == {0: True, 1: True}  # include/linux/minmax.h
    assert "READ_ONCE" not in effects


def test_reading_the_prelude_compiles_no_pattern_per_parameter_name(monkeypatch: pytest.MonkeyPatch) -> None:
    # Each name made two patterns of its own: some 180 compiled by every eval with an empty cache.
    compiled: list[str] = []
    original = re._compiler.compile  # type: ignore[attr-defined]

    def counting(pattern: str, flags: int = 0) -> re.Pattern[str]:
        compiled.append(pattern)
        return original(pattern, flags)  # type: ignore[no-any-return]

    monkeypatch.setattr(re._compiler, "compile", counting)  # type: ignore[attr-defined]
    re.purge()
    me.prelude_effects.cache_clear()
    me._own_effect.cache_clear()
    try:
        assert me.prelude_effects()["WRITE_ONCE"] == {0: True}
    finally:
        me.prelude_effects.cache_clear()
    assert len(compiled) < 10, compiled


def test_the_kept_prelude_effects_are_those_worked_out_now(monkeypatch: pytest.MonkeyPatch) -> None:
    # Read from the file under its key, the very effects worked out (in their order). A key gone stale (a macro of
    # the prelude edited) costs every process the reading again, never an answer: said as a warning, as it is no
    # failure of the code (`python -m harness.macroeffects` writes the file anew).
    kept = json.loads(me._KEPT.read_text(encoding="utf-8"))
    current = kept["key"] == me._prelude_key()
    if not current:
        warnings.warn("harness/data/prelude-effects.json is stale: run python -m harness.macroeffects", stacklevel=1)
    worked_out = me._read_prelude()
    read: list[int] = []
    monkeypatch.setattr(me, "_read_prelude", lambda: read.append(1) or worked_out)
    me.prelude_effects.cache_clear()
    try:
        assert list(me.prelude_effects().items()) == list(worked_out.items())
        assert read == ([] if current else [1])
        assert kept["effects"] == {n: {str(i): w for i, w in e.items()} for n, e in worked_out.items()} or not current
        assert me.prelude_effects()["WRITE_ONCE"] == {0: True} and me.prelude_effects()["swap"] == {0: True, 1: True}
    finally:
        me.prelude_effects.cache_clear()


@pytest.mark.parametrize("text", ['{"key": "0", "effects": {"WRITE_ONCE": {"0": false}}}', "{", ""])
def test_a_kept_file_of_another_key_or_damaged_is_never_read(text: str, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    # A prelude, per-CPU writer or line of this module changed since the file was written: worked out as before.
    path = tmp_path / "prelude-effects.json"
    if text:
        path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(me, "_KEPT", path)
    me.prelude_effects.cache_clear()
    try:
        assert me.prelude_effects() == me._read_prelude()
        assert me.prelude_effects()["WRITE_ONCE"] == {0: True}
    finally:
        me.prelude_effects.cache_clear()


def test_a_kept_file_of_this_key_is_read_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "prelude-effects.json"
    path.write_text(json.dumps({"key": me._prelude_key(), "effects": {"SC_SET": {"1": True}}}), encoding="utf-8")
    monkeypatch.setattr(me, "_KEPT", path)
    me.prelude_effects.cache_clear()
    try:
        assert me.prelude_effects() == {"SC_SET": {1: True}}
    finally:
        me.prelude_effects.cache_clear()


def test_the_key_is_of_the_macros_read_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    # An object-like macro or a helper of the prelude's own added leaves the file current; a function-like one not.
    import models.prelude

    lines = list(models.prelude.macro_lines())
    key = me._prelude_key()
    monkeypatch.setattr(models.prelude, "macro_lines", lambda: [*lines, ("SC_ON", "", "1"), ("__sh_x", "(a)", "a")])
    assert me._prelude_key() == key
    monkeypatch.setattr(models.prelude, "macro_lines", lambda: [*lines, ("SC_SET", "(v)", "((v) = 1)")])
    assert me._prelude_key() != key


def test_the_kept_prelude_effects_file_is_current() -> None:
    # A stale key is no wrong answer, but every process then reads the prelude's macros again (~178 M instructions,
    # issue 18): main must hold the file written for its prelude (`python -m harness.macroeffects`).
    kept = json.loads(me._KEPT.read_text(encoding="utf-8"))
    assert kept["key"] == me._prelude_key(), "stale: run python -m harness.macroeffects and commit the file"
