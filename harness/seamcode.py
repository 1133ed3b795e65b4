"""What C lines do with the SEAM, whatever their functions are named: issue a SEAMCALL, or retry a call on it."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from models.outcome import SEAM_FUNCTIONS
from models.wordfind import BOUNDARY, has_name

# The SEAMCALL instruction in inline assembly: its mnemonic in an asm statement's string, or its bytes as
# arch/x86/virt/vmx/tdx/tdxcall.S spells them for assemblers that lack it (.byte 0x66,0x0f,0x01,0xcf). A message
# naming SEAMCALL ("SEAMCALL failed") is none.
_INSTRUCTION = re.compile(r"\basm\b.*\"[^\"]*\bseamcall\b|0x66\s*,\s*0x0f\s*,\s*0x01\s*,\s*0xcf", re.I)
_SEAM = re.compile(r"\b(" + "|".join(sorted(map(re.escape, SEAM_FUNCTIONS))) + r")\b")
# A retry loop's test: a loop's condition, or an if leaving the loop or jumping back (break, goto), that counts a
# counter down ("--retry", "!--left", "tries--") beside the test of the call's result.
_COUNTDOWN = re.compile(r"--\s*[A-Za-z_]\w*|[A-Za-z_]\w*\s*--")
_TEST = re.compile(r"\b(while|if)\s*\((.*)\)")
_LEAVES = re.compile(r"\b(?:break|goto|continue)\b")
_ASSIGNED = re.compile(r"\b([A-Za-z_]\w*)\s*=\s*([A-Za-z_]\w*)\s*\(")
_HEAD_PARAMS = re.compile(r"\b[A-Za-z_]\w*\s*\(([^()]*)")
_WORD = re.compile(r"[A-Za-z_]\w*")
_DEFINITION = re.compile(r"[A-Za-z_][\w\s*]*\b[A-Za-z_]\w*\s*\(")  # a function's head, as git's funcname finds one
_LABEL = re.compile(r"([A-Za-z_]\w*)\s*:\s*(?:/[/*].*)?")  # a goto label, which git's default funcname takes for one


def issues_seamcall(lines: Iterable[str]) -> str | None:
    """What in the lines issues a SEAMCALL: a SEAM function (models.outcome.SEAM_FUNCTIONS, the kernel's entries to
    the TDX module and the P-SEAMLDR) called or handed on as a value, or the instruction itself; None: nothing."""
    for text in lines:
        if (m := _SEAM.search(text)) is not None:
            return f"names {m.group(1)}()"
        if _INSTRUCTION.search(text) is not None:
            return "holds the SEAMCALL instruction"
    return None


def retries_a_call(head: str, lines: Sequence[str]) -> str | None:
    """The retry loop of a SEAMCALL wrapper in one hunk's lines (``head``: the function the hunk is in, as git's
    ``@@`` line names it): a variable assigned a call inside a loop whose condition tests it and counts a counter
    down (``do { ret = func(fn, args); } while (ret == X && --retry);``), the call being one the function is handed
    (a parameter of ``head`` or of a function head among the lines: it retries whatever SEAMCALL it is given) or a
    SEAM function. None: no such loop."""
    heads = [head, *_heads(lines)]
    params = {w for h in heads for m in _HEAD_PARAMS.finditer(h) for w in _WORD.findall(m.group(1))}
    return _retry_loop(lines, lambda fn: fn in params or fn in SEAM_FUNCTIONS)


def _heads(lines: Sequence[str]) -> list[str]:
    return [t for t in lines if _DEFINITION.match(t) and not t.rstrip().endswith(";")]


def unnamed_retry(hunks: Iterable[tuple[str, Sequence[str]]]) -> str | None:
    """Of hunks whose ``@@`` line names a label, not the function they are in (git's default funcname takes any
    line starting with a letter, a column-0 ``again:`` too; the cpp diff driver skips labels), and whose lines show no
    function head, the first that retries a call in a loop on its status, said: whether the call is one the function
    is handed (retries_a_call), its parameters would show, and no line of the mail holds them. None: no such hunk."""
    for head, lines in hunks:
        label = _LABEL.fullmatch(head.strip())
        if label is None or _heads(lines):
            continue
        found = _retry_loop(lines, lambda fn: True)
        if found is not None:
            return f"a hunk whose @@ line names the label '{label.group(1)}:', not its function (git's default " \
                f"funcname; a diff=cpp attribute names the function), {found}: whether that is a call the " \
                "function is handed, its head would show, and the mail does not hold it"
    return None


def _retry_loop(lines: Sequence[str], handed: Callable[[str], bool]) -> str | None:
    """retries_a_call's loop in ``lines``, its call one ``handed`` accepts."""
    called: dict[str, str] = {}
    for i, text in enumerate(lines):
        for m in _ASSIGNED.finditer(text):
            called[m.group(1)] = m.group(2)
        test = _TEST.search(text)
        if test is None or _COUNTDOWN.search(test.group(2)) is None:
            continue
        if test.group(1) == "if" and not _LEAVES.search(" ".join(lines[i:i + 2])):
            continue
        for var, fn in called.items():
            if has_name(test.group(2), var, BOUNDARY, BOUNDARY) and handed(fn):
                return f"retries {fn}() in a loop on its status ({' '.join(test.group().split())})"
    return None


# What a matrix's [match] may ask of the code (docs/matrix.md), each a test of one hunk: its head and its lines.
KINDS = ("seamcalls", "retry_loops")


def code_does(kinds: Iterable[str], hunks: Iterable[tuple[str, Sequence[str]]]) -> str | None:
    """What the first hunk (``@@`` head, lines) doing one of ``kinds`` does (KINDS), for the matrix chosen by it."""
    wanted = set(kinds)
    for head, lines in hunks:
        found = (issues_seamcall((head, *lines)) if "seamcalls" in wanted else None) or (
            retries_a_call(head, lines) if "retry_loops" in wanted else None)
        if found is not None:
            return found
    return None
