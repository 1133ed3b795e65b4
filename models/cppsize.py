"""The sizes of C text the preprocessor step refuses before pcpp and pycparser lex it.

Their lexers take hundreds of bytes a character.
"""

from __future__ import annotations

from models.errors import LoadError
from models.slicer import long_literal
from models.typesys import MAX_ARRAY_LENGTH


def refuse_long_literals(text: str, block: str, path: str, line: int) -> None:
    """A string literal longer than the longest array the mirror holds (typesys.MAX_ARRAY_LENGTH) is refused
    before pcpp and pycparser lex it: their lexers take about 950 bytes a character (eval of a definition with
    one of 200,000 peaked at 241 MB, now 61 MB). One in the macro block is named at the definition."""
    for where, piece in ((0, text), (None, block)):
        found = long_literal(piece, MAX_ARRAY_LENGTH)
        if found is not None:
            at = line if where is None else line + text.count("\n", 0, found[0])
            raise LoadError(f"{path}:{at}", f"a string literal of {found[1]:,} characters is not modelled "
                                            f"(the mirror reads literals of up to {MAX_ARRAY_LENGTH:,})")


# One definition's text: pcpp's and pycparser's lexers and parser take some 300 bytes a character of it (a function
# of 2 MB, a million nested parentheses, peaked at 619 MB before its nesting was refused; a message's 32 MiB would
# be gigabytes). A large kernel function is tens of kilobytes.
MAX_DEFINITION = 512 * 1024


def refuse_long_definition(text: str, path: str, line: int) -> None:
    """A definition longer than MAX_DEFINITION characters is refused before pcpp and pycparser read it."""
    if len(text) > MAX_DEFINITION:
        raise LoadError(f"{path}:{line}", f"a definition of {len(text):,} characters is not modelled (the mirror "
                                          f"reads definitions of up to {MAX_DEFINITION:,})")
