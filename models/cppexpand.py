"""One definition expanded at its place (models.cpp), or an expansion moved there from another line or file."""

from __future__ import annotations

import re
from functools import lru_cache

from models.conditional import config_defines, config_text, config_value_tests
from models.cpp import ANY_PATH, preprocess_block
from models.cppsize import refuse_long_definition, refuse_long_literals
from models.errors import LoadError
from models.linecoord import in_path
from models.placetokens import TU_NAME


@lru_cache(maxsize=8192)
def expand(text: str, block: str, path: str, line: int, gcc: int = 0) -> str:
    """One definition after macro expansion; ``#line`` keeps pycparser's coordinates on the real file. ``gcc``: the
    number gcc gives its first line (0: ``line``), where a file-scope ``#line`` above renumbers it
    (models.filestops.gcc_line): its coordinates then say gcc's lines and carry the file's (models.linecoord)."""
    # The configuration (models.conditional): CONFIG_ options the text tests, set ones defined, IS_ENABLED().
    valued = config_value_tests(text)
    if valued:
        offset, name = valued[0]
        raise LoadError(f"{path}:{line + offset}", f"#if tests {name}'s value, which the mirror does not know (it "
                                                   "models options as set, not their values): not decided")
    if gcc and gcc != line:
        return _expanded(text, block, path, line, gcc)
    moved = expanded_elsewhere(text, block, path, line)
    if moved is not None:
        return renumbered(*moved)
    return _expanded(text, block, path, line)


def renumbered(expanded: str, lines: int) -> str:
    """An expansion's #line markers ``lines`` further down: what expanding it there gives (expanded_elsewhere)."""
    return _LINE_MARKER.sub(lambda m: f"#line {int(m.group(1)) + lines} ", expanded)


def expanded_elsewhere(text: str, block: str, path: str, line: int) -> tuple[str, int] | None:
    """The definition's expansion at another line, and how many lines to move its #line markers by, when they are
    all that depends on the line; None when more does (or it is refused: said where it is).

    A patch moves code, so each variant has its own line for the same definition. Only the numbers of the #line
    markers depend on the line when neither the text nor its macro block says __LINE__ and the text has no line
    marker of its own (pcpp writes a line's tokens after the line before them, or a marker past six blank lines:
    what is between them is the same)."""
    if config_value_tests(text) or _LINE_DEPENDENT.search(text) or _LINE_DEPENDENT.search(block):
        return None
    try:
        return _expanded_at(text, block, path), line - _AT
    except LoadError:
        return None


# What makes an expansion depend on its line other than through #line markers: __LINE__, and a line marker of the
# text's own (#line 5, or # 5 "file"), whose number stays. A block of macros holds nothing but #define lines.
_LINE_DEPENDENT = re.compile(r"__LINE__|^[ \t]*#[ \t]*(?:line\b|[0-9])", re.MULTILINE)
_LINE_MARKER = re.compile(r"^#line ([0-9]+) ", re.MULTILINE)
_AT = 100_000  # the line _expanded_at() expands at: past any line before it, as every real line is


@lru_cache(maxsize=2048)
def _expanded_at(text: str, block: str, path: str) -> str:
    general = expanded_anywhere(text, block, path)
    return _expanded(text, block, path, _AT) if general is None else in_file(general, path)


# The paths expanded_anywhere() moves an expansion to: written between quotes as they are in #line markers (no
# quote, backslash, space or line break), never pycparser's "<typedefs>" (models.cload keeps those coordinates).
_PLAIN_PATH = re.compile(r"[\w.+/<>-]+")
_ANY_MARKER = re.compile(rf'^(#line [0-9]+) "{ANY_PATH}"$', re.MULTILINE)


def expanded_anywhere(text: str, block: str, path: str) -> str | None:
    """The definition's expansion at line _AT of the file ANY_PATH, which in_file() makes its expansion in ``path``,
    when nothing else depends on the path; None when something may (the text or its block names __FILE__, the path
    is not plain) or it does not expand (said where it is).

    A header's definition is expanded in every file that holds a copy, and a patch moves code between files: the
    path is in pcpp's #line markers, and in __FILE__'s value (_preprocessor), which a text and block not naming it
    can only reach through ``##``: its value is then in the expansion, which is refused."""
    if "__FILE__" in text or "__FILE__" in block or not _PLAIN_PATH.fullmatch(path) or path == "<typedefs>":
        return None
    return _expanded_anywhere(text, block)


@lru_cache(maxsize=2048)
def _expanded_anywhere(text: str, block: str) -> str | None:
    try:
        general = _expanded(text, block, ANY_PATH, _AT)
    except LoadError:
        return None
    return None if ANY_PATH in _ANY_MARKER.sub("", general) else general


def in_file(general: str, path: str) -> str:
    """An expansion at ANY_PATH (expanded_anywhere) as it is in ``path``: its #line markers name that file."""
    return _ANY_MARKER.sub(lambda m: f'{m.group(1)} "{path}"', general)


def _expanded(text: str, block: str, path: str, line: int, gcc: int = 0) -> str:
    refuse_long_definition(text, path, line)
    refuse_long_literals(text, block, path, line)
    block = config_defines(text + "\n" + block) + config_text(block)
    text = config_text(text)
    first = block.count("\n") + 3  # the input line where the definition's text starts
    # pcpp numbers the definition's lines (and the #line marker before them) as the real file's, so that
    # __LINE__ is gcc's (_NoIncludes) and the markers it writes after skipped lines are the file's own. Numbered
    # ``gcc`` there, the marker is one the text's own #line would be (models.cpphooks marks the difference).
    try:
        out = preprocess_block(block, f"\n#line {gcc or line} \"{path}\"\n{text}\n", first - 1, line - first, path)
    except LoadError as exc:
        # pcpp names the text it parses TU_NAME: a line of the definition is the file's own (shifted); one of
        # the macro block before it is not, and the definition's first line is named instead.
        at = re.fullmatch(rf"{re.escape(TU_NAME)}:(\d+)", exc.where)
        if at is None:
            raise
        raise LoadError(f"{path}:{max(int(at.group(1)), line)}", exc.message) from None
    return in_path(out, path)  # the markers name the file (a #line's difference kept: models.linecoord)
