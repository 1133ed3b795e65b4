"""How a log line prints a failed SEAMCALL's leaf: its base and digits, read from the numbers in the line."""

from __future__ import annotations

import re
from functools import lru_cache

from harness.explain import numbers
from harness.rules import NumberBase
from models.outcome import Outcome


# Once per outcome and leaf (equal outcomes, one answer; Outcome keeps its hash): every rule of a leaf base asks it of
# each variant's runs again, and variants that run the same code have the same outcomes (3,448 asked, 464 distinct
# in the corpus' eval).
@lru_cache(maxsize=1 << 16)
def style(o: Outcome, leaf: int) -> tuple[str, str] | None:
    """How the first log line that shows the leaf prints it: 'decimal' or 'hex' (with how, e.g. 'hex with 0x, 18
    chars'), and that line; a line whose digits tell the base before one whose do not. A failure may say what
    failed on one line and give the leaf on the next ('SEAMCALL failed' / 'leaf 0x21, error ...').

    The leaf is the number equal to it, with or without the P-SEAMLDR bit (a printer may mask it off),
    preferably the one in parentheses, where every SEAMCALL error message of the series puts it.
    """
    found = [(how, ln.text) for ln in o.log if (how := leaf_style(ln.text, leaf)) is not None]
    return next((x for x in found if x[0] != AMBIGUOUS), found[0] if found else None)


def _printed(o: Outcome) -> list[str]:
    """Every line a run printed: its printk lines, the messages of the WARN()s that fired among them."""
    return [ln.text for ln in o.log]


@lru_cache(maxsize=1 << 16)  # as style(): 3,252 asked, 726 distinct in the corpus' eval
def other_bases(o: Outcome, leaf: int, base: str) -> tuple[tuple[int, str, bool], ...]:
    """Each line of the run, any line, with a number reading as the leaf in the other base than ``base``: (its index
    in the run's log, how, whether that is the line's own leaf reading, _exact_style's first number). A failure that
    prints the leaf in hex first and in decimal on a line below prints it in both; so may one line printing it twice,
    ``SEAMCALL (%#llx, leaf %llu)`` (lib/vsprintf.c: '(0x21, leaf 33)'), or a line whose later number only reads as
    the leaf in that base: '(33) ... 21 tries' (0x21 = 33). Which conversion printed such digits tells which it is
    (harness.leafconv.other_base_told)."""
    out: list[tuple[int, str, bool]] = []
    for index, line in enumerate(_printed(o)):
        hows = _exact_styles(line, leaf)
        exact = _exact_style(line, leaf)
        if exact is not None and base_of(exact) != base:
            out.append((index, exact, True))
        elif (how := next((h for h in hows if base_of(h) != base), None)) is not None:
            out.append((index, how, False))
    return tuple(out)


@lru_cache(maxsize=4096)
def _exact_styles(line: str, leaf: int) -> tuple[str, ...]:
    """_exact_style of every number in the line equal to the leaf (above 9), in the line's order; the octal reading
    only where no number reads as the leaf in decimal or hex, as _exact_style reads it."""
    wanted = {leaf, leaf & ~(1 << 63)}
    found = tuple(how for tok in _TOKENS.findall(line) for value, how in numbers(tok) if value in wanted and value > 9)
    if found:
        return found
    exact = _exact_style(line, leaf)
    return () if exact is None else (exact,)


_TOKENS = re.compile(r"0[xX][0-9a-fA-F]+|-?\d+|[0-9a-fA-F]+")  # the numbers of a log line, as numbers() reads them


@lru_cache(maxsize=4096)
def _exact_style(line: str, leaf: int) -> str | None:
    """How a line prints the leaf where a number in it equals the leaf (with or without the P-SEAMLDR bit) and
    is above 9 (digits that tell the base); None when none does."""
    wanted = {leaf, leaf & ~(1 << 63)}
    for tok in _TOKENS.findall(line):
        for value, how in numbers(tok):
            if value in wanted and value > 9:
                return how
    # %llo (lib/vsprintf.c number(), base 8; '#' puts a 0 before a non-zero value): a digit run that is no
    # decimal or hex leaf but reads as it in octal, past 7 (two digits or more: 8 is '10', no leaf in decimal)
    for tok in _TOKENS.findall(line):
        if _OCTAL.fullmatch(tok) and int(tok, 8) in wanted and int(tok, 8) > 7:
            n = len(tok) - (tok[0] == "0")
            return f"octal{' with 0' if tok[0] == '0' else ''}, {n} digit{'s' * (n != 1)}"
    return None


_OCTAL = re.compile(r"[0-7]+")


@lru_cache(maxsize=4096)
def leaf_style(line: str, leaf: int) -> str | None:
    """style() of one log line (variants that print alike share the answer)."""
    wanted = {leaf, leaf & ~(1 << 63)}
    exact = _exact_style(line, leaf)
    if exact is not None:
        return exact
    m = re.search(r"\((0[xX][0-9a-fA-F]+|-?\d+|[0-9a-fA-F]+)\)", line)
    if m is not None:
        hows = {how for value, how in numbers(m.group(1)) if value in wanted}
        if len(hows) == 1:  # "(0x1)": the leaf, its 0x telling the base
            return hows.pop()
    # A number equal to the leaf (masked: 0 or 1 for the P-SEAMLDR's) that tells no base ("(0)", "call 1"),
    # or whose place in the line does not say it is the leaf: the base is not shown. Another number in the
    # parentheses is not the leaf, and its form is not the leaf's ('call 0 failed (0x8000020300000000)').
    small = any(value in wanted for tok in _TOKENS.findall(line) for value, _ in numbers(tok))
    return AMBIGUOUS if small else None


def placed_leaf(line: str, leaf: int) -> bool:
    """Whether leaf_style() reads the line's leaf in a base only by its place, a prefixed number in parentheses equal
    to the leaf but under 10 (``(0x1)``): what printed it is not told to be the leaf, whatever its 0x says."""
    how = leaf_style(line, leaf)
    return how is not None and how != AMBIGUOUS and _exact_style(line, leaf) is None


AMBIGUOUS = "either base"  # leaf_style(): the leaf printed in digits that read the same in decimal and in hex


def base_of(how: str) -> str:
    return how.split(" ", 1)[0]  # "hex with 0x, 16 digits" -> "hex"


def kind(how: str) -> NumberBase | str:
    """The base a leaf style shows, as a rule names it; "octal" (%llo), which no rule can ask for, as itself."""
    return NumberBase.HEX if how.startswith("hex") else "octal" if how.startswith("octal") else NumberBase.DECIMAL
