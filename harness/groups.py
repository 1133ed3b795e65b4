"""Outcome groups: per scenario, the variants that behave alike (the report's matrix, harness.report)."""

from __future__ import annotations

from collections.abc import Callable

from harness.explain import signature
from harness.matrixresult import MatrixResult
from models.outcome import Outcome

_NUMBERS = ("signature-numbers",)  # MatrixResult.memo's key of signature_numbers' tables


def signature_numbers(res: MatrixResult) -> Callable[[int, Outcome], int]:
    """A number standing for an outcome's signature (harness.explain.signature), the same for equal signatures,
    worked out once per outcome number of ``res`` (MatrixResult.outcome_numbers: equal outcomes are one object, one
    number: run_matrix) and shared by the outcome groups and the comparisons (two outcomes that ran with equal
    signatures differ in no class of harness.explain.classify: it compares the very fields the signature holds).
    Only for ``res``'s own outcomes, each asked with its number: ``number(k, o)``."""
    found: tuple[dict[int, int], dict[tuple[object, ...], int]] | None = res.memo.get(_NUMBERS)
    if found is None:
        found = res.memo[_NUMBERS] = ({}, {})
    sigs, numbers = found

    def number(k: int, o: Outcome) -> int:
        n = sigs.get(k)
        if n is None:
            n = sigs[k] = numbers.setdefault(signature(o), len(numbers))
        return n
    return number


def group_numbers(res: MatrixResult, lane: int, group: int) -> tuple[int, ...]:
    """signature_numbers of every outcome of a code group in a lane, in the lane's order: worked out once per group
    and read by index, as each group is split again in each scenario's outcome groups."""
    key = (_NUMBERS, lane, group)  # a lane of its own for group -1 (not provided): its length is the lane's
    found: tuple[int, ...] | None = res.memo.get(key)
    if found is None:
        found = res.memo[key] = tuple(map(signature_numbers(res), res.outcome_numbers(lane, group),
                                          res.group_outcomes(lane, group)))
    return found


def outcome_groups(res: MatrixResult) -> dict[str, list[list[str]]]:
    """Per scenario, the variants grouped by equal outcome: worked out per code group, not per variant.

    Scenarios whose code groups split the same way share one list of groups (do not mutate them).
    """
    order = {v.name: i for i, v in enumerate(res.variants)}
    groups: dict[str, list[list[str]]] = {}
    # Equal outcomes are one object (run_matrix): each object's signature is worked out once and stands
    # for a number, the same for equal signatures, so that a scenario's split hashes small keys.
    for n, lane in enumerate(res.lanes):
        shapes: dict[tuple[tuple[int, ...], ...], list[list[str]]] = {}  # by_gid is the lane's own
        by_gid: dict[int, list[str]] = {}
        for v in res.variants:
            by_gid.setdefault(res.code_group(v.name, n), []).append(v.name)
        numbers = [(gid, group_numbers(res, n, gid)) for gid in by_gid]
        for i, p in enumerate(lane.positions):
            same: dict[int, list[int]] = {}
            for gid, numbered in numbers:
                same.setdefault(numbered[i], []).append(gid)
            shape = tuple(tuple(gids) for gids in same.values())
            found = shapes.get(shape)
            if found is None:
                merged = [sorted((x for gid in gids for x in by_gid[gid]), key=order.__getitem__) for gids in shape]
                found = shapes[shape] = sorted(merged, key=lambda g: order[g[0]])
            groups[res.matrix.scenarios[p].id] = found
    return {s.id: groups[s.id] for s in res.matrix.scenarios}
