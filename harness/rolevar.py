"""The variable a ``set_together`` rule judges when the function does not set it by the rule's name: by its role.

The rule names the variable as the review saw it (``retry_code``). A series may never have used that name (its
loop variable was always ``busy``): no other text of the function in the input names it, and the rule was n/a.
The function's retry loop says which variable holds the code it retries on, whatever its name
(models.retryloop, read from pycparser's AST): that variable is judged. A rename shown by other texts
(harness.localrename) must agree with it (it alone names the variable when the loop's shape is not read);
a loop whose test compares with constants only leaves the rule n/a (no variable is chosen at all), a loop
of another shape inconclusive, saying why.
"""

from __future__ import annotations

from harness.localrename import LocalRename
from models.facts import CodeFacts, RetryRole, RoleKind
from models.record import record


@record
class Chosen:
    """The variable judged in the rule's place, why it is that one, and where the function sets it (file:line
    of each top-level statement, when the role gave them)."""

    var: str
    note: str
    lines: tuple[str, ...] = ()


@record
class Unjudged:
    """No variable to judge: ``applies`` False for n/a (none is chosen at all), True for inconclusive."""

    applies: bool
    why: str


def _role_note(var: str, fn: str, role: RetryRole) -> str:
    return f"{var} holds the code {fn}() retries on: its retry loop ({role.where}) tests '{role.test}', comparing " \
           f"what it calls with {var}"


def choose(var: str | None, fn: str | None, facts: CodeFacts, local: LocalRename | str | None
           ) -> Chosen | Unjudged | None:
    """The variable to judge in place of ``var`` in ``fn`` (``local``: what other texts of ``fn`` show,
    harness.localrename), or why there is none; None when ``fn`` sets ``var`` under its own name (or there is
    nothing to choose: no variable or no function)."""
    if var is None or fn is None or facts.setting_statements(fn, var):
        return None
    role = facts.retry_roles.get(fn)
    if role is None:
        role = RetryRole(RoleKind.UNKNOWN, why=f"{fn}() has no loop: no retry loop holds a code to retry on")
    if role.kind is RoleKind.VARIABLE:
        if isinstance(local, LocalRename) and local.new != role.variable:
            return Unjudged(True, f"{local.note()}, but {_role_note(role.variable, fn, role)}: which one is "
                                  f"{var} is not told (judge it by eye)")
        if not facts.setting_statements(fn, role.variable):
            return Unjudged(True, f"{_role_note(role.variable, fn, role)}, which {fn}() never sets: where its value "
                                  "comes from is not followed")
        note = local.note() if isinstance(local, LocalRename) else \
            f"{fn}() does not name {var}; " + _role_note(role.variable, fn, role)
        return Chosen(role.variable, note, role.sets)
    if isinstance(local, str):  # other texts name var, and what stands in its place here is no variable
        return Unjudged(True, local)
    if isinstance(local, LocalRename):
        if role.kind is RoleKind.UNKNOWN:  # a loop of a shape not read: the rename alone names the variable
            return Chosen(local.new, local.note())
        return Unjudged(True, f"{local.note()}, but {role.why}")
    if role.kind is RoleKind.CONSTANT:
        return Unjudged(False, f"{fn}() does not set {var}: {role.why}")
    return Unjudged(True, f"{fn}() does not set {var}, and no variable of it is seen in its place: {role.why}")


def handed_on(fn: str | None, facts: CodeFacts) -> str | None:
    """The function ``fn`` hands its work on to, where ``fn`` has no retry loop, sets no variable and makes one call,
    once, of a function of the code with a retry loop (``sc_retry()`` made ``return __sc_retry(op, fn, args);``):
    the loop whose code a ``set_together`` rule judges is that function's. None for any other ``fn``."""
    if fn is None or fn in facts.retry_roles or facts.sets.get(fn):
        return None
    calls = facts.calls.get(fn)
    if calls is None or len(calls) != 1 or sum(calls.values()) != 1:
        return None
    (inner,) = calls
    return inner if inner in facts.retry_roles and inner in facts.functions and inner != fn else None
