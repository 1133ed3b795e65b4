"""The regular expressions reading literals, comments and sentences run in constant memory.

The regular expressions that read string literals, comments and sentences read a long one in constant memory:
each written as one alternative per character, '(?:\\\\.|[^"\\\\])*', Python's re kept a backtracking record per
character (a 1 MB printk format string: 116 to 226 MB at once). Each against that form on random text."""

from __future__ import annotations

import random
import re
import tracemalloc

import pytest

from harness import changedlines, cppscan, matrixtext, prfmt, replywords, sysheaders, undeclaredcall
from models import cload

# (the regex, the same one written one alternative per character, its flags)
CASES = {
    "replywords.SENTENCE": (replywords.SENTENCE, r"(?:[^.!?;\n]|\.(?=\w))*(?:[.!?;]+|\n|$)", 0),
    "changedlines.CODE_TOKEN": (changedlines.CODE_TOKEN,
                              r'("(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\')|/\*.*?\*/|//.*$', 0),
    "sysheaders._LITERAL": (sysheaders._LITERAL(),
                            r'"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|\.?\b\d[\w.]*|^\s*#\s*\w+', re.MULTILINE),
    "prfmt._TOKEN": (prfmt._TOKEN, r'\s*(?:("(?:\\.|[^"\\])*")|([A-Za-z_]\w*))', 0),
    "matrixtext._QUOTED": (matrixtext._QUOTED, r'"((?:[^"\\]|\\.)*)"', 0),
    "undeclaredcall._STRING": (undeclaredcall._STRING, r'"(?:\\.|[^"\\\n])*"', 0),
    "cload._STRING": (cload._STRING, r'"(?:[^"\\\n]|\\.)*"', 0),
    "cppscan._TOKEN": (cppscan._TOKEN, r"""
    (?P<nl>\n)
  | (?P<ws>(?:[ \t\f\v\r]|\\\n)+)
  | (?P<comment>/\*(?:.|\n)*?(?:\*/|\Z)|//(?:[^\n\\]|\\(?:.|\n))*)
  | (?P<str>(?:u8|[LuU])?"(?:\\.|[^"\\\n])*"?)
  | (?P<chr>[LuU]?'(?:\\.|[^'\\\n])*'?)
  | (?P<num>\.?\d(?:[eEpP][+-]|[\w.])*)
  | (?P<id>[A-Za-z_$][\w$]*)
  | (?P<punct>\#\#|\.\.\.|<<=|>>=|->|\+\+|--|<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%&|^]=|.)
""", re.VERBOSE),
}


def _matches(pattern: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], tuple[str | None, ...]]]:
    return [(m.span(), m.groups()) for m in pattern.finditer(text)]


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_reads_what_its_one_alternative_per_character_form_reads(name: str) -> None:
    ours, reference, flags = CASES[name]
    theirs = re.compile(reference, flags)
    rng = random.Random(name)
    for _ in range(4000):
        text = "".join(rng.choice('ab18 ."\'\\\n/*#!?;uL_x') for _ in range(rng.randrange(40)))
        assert _matches(ours, text) == _matches(theirs, text), text


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_long_literal_comment_or_sentence_is_read_in_constant_memory(name: str) -> None:
    ours = CASES[name][0]
    text = ('\tpr_err("' + "x1" * 500_000 + ' %llx\\n", fn); // ' + "c" * 100_000 + "\n/* " + "d" * 500_000
            + " */\n" + " ".join(f"[ {i}.0] tdx: failed" for i in range(50_000)))
    tracemalloc.start()
    try:
        for _ in ours.finditer(text):
            pass
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 << 20
