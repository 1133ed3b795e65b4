"""Call closures made for their number of arguments pass what a list comprehension would, in its order."""

from __future__ import annotations

from typing import Any

import pytest

from models.calls import direct_call, primitive_call, wrapped_call


class _Frame:
    def __init__(self) -> None:
        self.m: Any = "machine"
        self.order: list[int] = []


def _args(n: int) -> list[Any]:
    def arg(i: int) -> Any:
        def run(f: Any) -> int:
            f.order.append(i)
            return i * 10
        return run
    return [arg(i) for i in range(n)]


@pytest.mark.parametrize("n", range(6))
def test_calls_pass_every_argument_in_order(n: int) -> None:
    seen: list[Any] = []

    def impl(m: Any, args: list[Any], where: str) -> int:
        seen.append((m, args, where))
        args.append(-1)  # the callee may change its list: each call has a fresh one
        return len(args)

    def invoke(m: Any, name: str, args: list[Any], where: str, site: str) -> int:
        seen.append((m, name, args, where, site))
        return 7

    want = [i * 10 for i in range(n)]
    for _ in range(2):
        f = _Frame()
        seen.clear()
        assert primitive_call(impl, _args(n), "w:1")(f) == n + 1 and seen == [("machine", [*want, -1], "w:1")]
        assert f.order == list(range(n))
        seen.clear()
        assert wrapped_call(lambda v: v * 2, impl, _args(n), "w:1")(_Frame()) == 2 * (n + 1)
        seen.clear()
        assert direct_call(invoke, "g", _args(n), "w:2", "w:2:5")(_Frame()) == 7
        assert seen == [("machine", "g", want, "w:2", "w:2:5")]
