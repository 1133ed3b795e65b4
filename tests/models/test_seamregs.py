"""The registers a SEAMCALL function hands over (models.seamregs.loaded).

The registers a SEAMCALL function hands over (models.seamregs.loaded): those LOADED_REGS lists, in the order of
the struct the code passes, whatever layout it has; a function not listed hands every member."""

from __future__ import annotations

from models.machine import Answer, Machine, StructObj
from models.seamregs import loaded, loaded_values
from models.values import UNINIT

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


def test_the_values_read_are_the_members_values_whatever_their_number() -> None:
    """loaded_values() reads the members' values in C: every layout, one member and none alike."""
    for function, order in (("__seamcall", REGS), ("__seamcall_ret", ("rsi", "rdx", "rax")),
                            ("__seamcall", ("rax", "rbx")), ("my_call", ("a", "b"))):
        args = _args(order)
        for i, k in enumerate(args):
            args[k] = i * 7
        for _ in range(2):
            members, values = loaded_values(function, args)
            assert members == loaded(function, args) and values == tuple(args[k] for k in members)


def test_a_seamcall_records_the_registers_set_to_integers_in_struct_order() -> None:
    args = _args(REGS)
    args.update(rdx=5, r9=UNINIT, rsi=-1, rbx=True, rdi=[1])
    m = Machine((Answer(0),))
    m.seamcall("__seamcall_saved_ret", 3, args, "a.c:1")
    m.seamcall("__seamcall_saved_ret", 3, args, "a.c:2", loaded_values("__seamcall_saved_ret", args))
    assert [c.args for c in m.calls] == [(("rdx", 5), ("rbx", True), ("rsi", -1))] * 2


def test_a_runs_input_registers_set_only_the_members_the_codes_struct_has() -> None:
    # A matrix script's inputs are given for every register; code whose struct tdx_module_args has two members
    # gets those two set (was a member 'r15' added to its struct, handed over and written back, which gcc's struct
    # cannot hold: the native crosscheck disagreed).
    from tests.models.cprog import run

    code = ("struct tdx_module_args { u64 rcx; u64 rdx; };\n"
            "u64 __seamcall_saved_ret(u64 fn, struct tdx_module_args *args);\n"
            "u64 f(u64 fn, struct tdx_module_args *args)\n{\n\treturn __seamcall_saved_ret(fn, args);\n}\n")
    out = run(code, regs=(("rcx", 7), ("r15", 9)))
    assert out.status == "ok", out.error
    assert out.calls[0].args == (("rcx", 7),)
    assert out.regs_out == (("rcx", 7),)
