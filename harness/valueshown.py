"""What the value runs leave undecided, as said: a changed value (models.valueexprs), a condition on the leaf."""

from __future__ import annotations

from typing import TYPE_CHECKING

from harness.valuereaders import line_text

if TYPE_CHECKING:  # models.valueexprs imports pycparser: loaded where a value is read
    from harness.matrix import Scenario
    from harness.variants import Variant
    from models.cload import Program
    from models.decided import Scope
    from models.neighbours import Changed
    from models.valueexprs import ChangedValue


def value_said(c: ChangedValue, programs: tuple[Program, Program], sides: tuple[Variant, Variant]) -> str:
    """``c`` said: the function, each side's line (text and file:line), the name it reads and values of it at which
    the two compute otherwise, none of which a run showed as a difference (the runs with them as the SEAMCALL's
    answer made, where the name holds one; a leaf, a counter, is no answer)."""
    changed = f"a value of {programs[0].c_name(c.function)}() changed, {_side(c.a_where, sides[0])} -> " \
        f"{_side(c.b_where, sides[1])}"
    if not c.names:  # a store one side alone makes, or a value read through memory, not worked out
        what = "what the two compute" if c.a_where and c.b_where else "what it stores"
        # Was "..., and no run that ran shows it": read as if no run had gone through the line, where every run of
        # an ops-table refactor had, and agreed. The runs show no difference; what they do not show is every value.
        return f"{changed}: {what} is not worked out (it reads or stores through a pointer, a member or a " \
            "call); the runs that ran on both sides show no difference, but only for the values they read there: " \
            "whether it changes behaviour for others is not known"
    if not c.points:  # more names than models.valueexprs works out (NAMES_MAX)
        return f"{changed}: it reads {len(c.names)} names ({c.name}), more than are worked out, and no run that ran " \
            "shows it: whether it changes behaviour is not known"
    if len(c.names) == 1:
        at = f"{c.name} = " + ", ".join(f"{v:#x}" for (v,) in c.points)
    else:
        at = f"({c.name}) = " + ", ".join("(" + ", ".join(f"{v:#x}" for v in p) + ")" for p in c.points)
    two = "the two" if c.a_where and c.b_where else "the value it stores and the one the name held before"
    return f"{changed}: {two} compute otherwise for {at}, and no run that ran shows it (the answers among them ran " \
        f"as the SEAMCALL's, the leaf as the matrix gives it): whether it changes behaviour is not known"


def _side(where: str, v: Variant) -> str:
    """One side of a changed value: its line and file:line, or none (a store the other side alone makes)."""
    return f"'{line_text(v, where)}' ({where}) in {v.name}" if where else f"none in {v.name}"


def leaf_why(c: Changed, programs: tuple[Program, Program], scope: Scope) -> str:
    """Why a changed condition on the leaf alone is not decided by the runs: the leaves of the compared components
    no scenario takes at which its two forms come out otherwise (models.leafapart); "" where none is known."""
    from models.leafapart import leaves_apart

    if c.a is None or c.b is None:
        return ""
    apart = leaves_apart(programs[0], c.a, programs[1], c.b, scope)
    if not apart:
        return ""
    return "the two come out otherwise for leaves no scenario takes (" + ", ".join(f"{v:#x}" for v in apart) + \
        "), of the components compared: whether it changes behaviour for them is not known"


def value_run_words(s: Scenario) -> str:
    """What a value run's evidence says ran: the SEAMCALL's answers it was given (its script's words), an answer no
    scenario gives, picked where the two sides' code tests, computes or prints otherwise (harness.valuecover: a
    changed condition, value or print conversion alike)."""
    return f"with the SEAMCALL answering {s.script.text} (a value run: an answer no scenario gives)"
