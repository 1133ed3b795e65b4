"""Which answers the value runs give: those next to what the changed conditions test (harness.valuecover)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # models.decided and models.neighbours import pycparser: imported where a condition is read
    from models.cload import Program
    from models.decided import Scope
    from models.neighbours import Changed

# Values run per comparison past those next to its conditions' constants (each, at most models.neighbours.MAX_VALUES
# a condition, runs under every leaf compared): a value not run leaves a condition it would decide undecided. The
# corpus takes 6 at most.
VALUES_MAX = 48


def values_to_run(changed: list[Changed], programs: tuple[Program, Program], scope: Scope) -> list[int]:
    """Every value next to what the changed conditions test, less those at which every one of them is known to
    come out alike on both sides (which scripts answer already is left to each leaf: harness.valuecover._plan).
    A local the leaf or constants set (``ret == retry_code``) is read at each value it can hold in ``scope``
    (models.decided)."""
    from models.decided import known_values
    from models.neighbours import neighbour_values

    changed = [c for c in changed if not _leaf_only(c, programs, scope)]
    sides = [(d, p) for c in changed for d, p in ((c.a, programs[0]), (c.b, programs[1])) if d is not None]
    found = {v for d, p in sides for v in neighbour_values(p, d.node)}
    for d, p in sides:  # then those at the values the leaf and the locals it sets hold, while VALUES_MAX allows
        for env in known_values(p, d, scope):
            more = set(neighbour_values(p, d.node, env)) - found
            if len(found) + len(more) > VALUES_MAX:
                break
            found |= more
    return sorted(v for v in found if not all(_alike(c, programs, v) for c in changed))


def _leaf_only(c: Changed, programs: tuple[Program, Program], scope: Scope) -> bool:
    """Whether each form of a changed condition is worked out from the leaf and constants alone under every leaf
    compared (``if (unlikely(is_seamldr_call(fn)))`` added): no answer takes it another way, so the values next to
    its constants (the leaves' neighbours, as answers) test nothing of it, and it keeps no value for another
    (an added condition agrees with none). Its two ways are each leaf's scenarios'."""
    from models.decided import leaf_decided

    return all(leaf_decided(p, d, scope) for d, p in ((c.a, programs[0]), (c.b, programs[1])) if d is not None)


def reads_more(changed: list[Changed], programs: tuple[Program, Program], scope: Scope) -> bool:
    """Whether a changed condition may read more than the answer, the leaf and constants (models.decided.answer_only;
    or one side adds or removes it): an input register (``args->rdx``), which runs starting with the inputs of the
    matrix's scripts may take another way. One of those alone comes out alike whatever the inputs: its runs from
    all 0 tell it apart as well."""
    from models.decided import answer_only

    return any(c.a is None or c.b is None or not answer_only(programs[0], c.a, programs[1], c.b, scope)
               for c in changed if not _leaf_only(c, programs, scope))


def _alike(c: Changed, programs: tuple[Program, Program], value: int) -> bool:
    """Whether the two forms of a changed condition are known to come out alike when what they differ in reads
    ``value``: no run with it as the answer could tell them apart (models.neighbours.agree_on)."""
    from models.neighbours import agree_on

    return c.a is not None and c.b is not None and agree_on(programs[0], c.a, programs[1], c.b, [value]) is True
