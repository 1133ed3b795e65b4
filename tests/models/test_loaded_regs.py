"""The registers a SEAMCALL function hands over (models.machine.loaded): those LOADED_REGS lists, in the order of
the struct the code passes, whatever layout it has; a function not listed hands every member."""

from __future__ import annotations

from models.machine import StructObj, loaded

REGS = ("rcx", "rdx", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "rbx", "rdi", "rsi")


def _args(order: tuple[str, ...]) -> StructObj:
    return StructObj(None, dict.fromkeys(order, 0))  # type: ignore[arg-type]


def test_each_layout_gives_its_own_order_every_time() -> None:
    for _ in range(2):
        assert loaded("__seamcall", _args(REGS)) == ("rcx", "rdx", "r8", "r9", "r10", "r11")
        assert loaded("__seamcall", _args(REGS[::-1])) == ("r11", "r10", "r9", "r8", "rdx", "rcx")
        assert loaded("__seamcall_ret", _args(("rsi", "rdx", "rax"))) == ("rdx",)


def test_a_function_not_listed_hands_every_member() -> None:
    assert loaded("__seamcall_saved_ret", _args(REGS)) == REGS
    assert loaded("my_call", _args(("a", "b"))) == ("a", "b")
