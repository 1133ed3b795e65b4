"""Parts of a variable's name handed to a callee no file read defines (harness.pastedcalls): a macro may paste them."""

from __future__ import annotations

import pytest

from harness.pastedcalls import pasted_unknown
from tests.harness.test_unknowncallees import _src


@pytest.mark.parametrize(("body", "word"), [
    ("SC_POKE(tries)", "tries"), ("SC_POKE(n, tries + 1)", "tries"), ("SC_POKE(2 * sc)", "sc"),
    ("SC_POKE(\n\t\ttries)", "tries"), ("SC_POKE(sc_tries)", "sc_tries"),
    ("SC_POKE(idle)", None), ("SC_POKE((tries))", None), ('SC_POKE("tries")', None), ("SC_POKE(/* tries */ 1)", None),
    ("sc_use(tries)", None), ("n = READ_ONCE(tries)", None), ("SC_POKE(sc_tries_max)", None),
    # Pieces join a first token before it, a last one after it: 'p->tries' ends no prefix of sc_tries.
    ("SC_POKE(p->tries)", None), ("SC_POKE(sc + 1)", None), ("SC_POKE(1 + sc)", "sc"), ("SC_POKE(ies)", "ies"),
])
def test_a_part_of_the_name_handed_to_an_undefined_callee_is_said_with_where(body: str, word: str | None) -> None:
    # '##' joins an argument's first or last token (C11 6.10.3.3): 'sc_##x' of 'tries + 1' is 'sc_tries + 1'. A token
    # in parentheses, a string or a comment joins none; a function of the files and the prelude's macros paste none.
    src = _src(body)
    said = pasted_unknown("sc_tries", src, src)
    line = 9 + body.count("\n")
    assert said == (None if word is None else f"x/a.h:{line} hands {word} to SC_POKE(), which no file read defines: a "
                    "macro of a header not read may paste it into sc_tries"), said


@pytest.mark.parametrize(("macros", "body", "said"), [
    ("#define SC_SET(w) SC_POKE(w)", "SC_SET(tries)", "x/a.h:10 hands tries to SC_SET()"),
    ("#define SC_SET(w) SC_POKE(1, w + 1)\n#define SC_TWICE(v) SC_SET(v)", "SC_TWICE(tries)",
     "x/a.h:11 hands tries to SC_TWICE()"),
    ("#define SC_SET(args...) SC_POKE(args)", "SC_SET(n, tries)", "x/a.h:10 hands tries to SC_SET()"),
    ("#define SC_SET() SC_POKE(tries)", "SC_SET()", "x/a.h:1 hands tries to SC_POKE()"),
    ("#define SC_SET(s) SC_POKE(s)", "SC_SET(idle)", None),  # 's' is its parameter, no word handed
    ("#define SC_SET(w) sc_use(w)", "SC_SET(tries)", None),  # a function of the files: a copy
    ("#define SC_SET(w) SC_POKE((w))", "SC_SET(tries)", None),  # '(' is pasted, not the word
    # '%:' is '#' (C11 6.4.6p3): the macro's own parameter 's' (a part of sc_tries) is no word handed.
    ("%:define SC_SET(s) SC_POKE(s)", "SC_SET(idle)", None),
    ("%:define SC_SET(w) SC_POKE(w)", "SC_SET(tries)", "x/a.h:10 hands tries to SC_SET()"),
])
def test_a_macro_of_the_files_relaying_a_part_of_the_name_is_said(macros: str, body: str, said: str | None) -> None:
    # An argument is macro-expanded before it is substituted (C11 6.10.3.1): 'tries' reaches SC_POKE() unchanged.
    src = _src(body)
    src = (type(src[0])("x/a.h", ((1, (*macros.split("\n"), *src[0].pieces[0][1])),), True),)
    got = pasted_unknown("sc_tries", src, src)
    assert (got is None if said is None else got is not None and got.startswith(said)), got
