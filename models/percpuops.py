"""Per-CPU primitives (this_cpu_read/write, the byte operations on a bool, per_cpu_ptr()) as x86 builds them.

Sources: arch/x86/include/asm/percpu.h (percpu_to_op(), percpu_binary_op(), percpu_add_op(), __pcpu_cast_1()) and
include/linux/percpu-defs.h. The run is on one CPU (``Machine.cpu``); other CPUs' copies are not modelled.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from models.ctype import BOOL, Array, CType, Int, Struct
from models.errors import UnsupportedConstruct
from models.machine import Machine, StrVal
from models.values import Scope, Var

if TYPE_CHECKING:  # the parser only where C is compiled: a filled-cache eval reaches this module, never the parser
    from pycparser import c_ast


# The primitives that store to the per-CPU variable named by their first argument (include/linux/percpu-defs.h):
# every other per-CPU store of the prelude (this_cpu_add(), __this_cpu_xchg(), ...) is written with them.
PERCPU_WRITERS = ("this_cpu_write", "raw_cpu_write")


class _Compiler(Protocol):
    global_decls: dict[str, c_ast.Decl]

    def where(self, coord: object) -> str: ...

    def global_var(self, name: str) -> Var | None: ...

    def const(self, node: c_ast.Node, scope: Scope) -> tuple[int, Int]: ...


def declared_type(c: _Compiler, node: c_ast.Node, label: str, scope: Scope) -> Int | None:
    """The integer type of the per-CPU variable a typed primitive's operand ``node`` (spelt ``label``) names
    (DEFINE_PER_CPU(type, name)), or of the member or element of one (``this_cpu_write(stats.fails, v)``,
    ``this_cpu_inc(hits[2])``: its type, as percpu-defs.h's ``typeof(pcp)``), if the variable is declared; a declared
    one of another type is refused. A subscript must be a constant: the run's per-CPU variables are named by their
    text, which for ``hits[i]`` names each element alike (and ``hits[next()]`` has a side effect the kernel's one
    evaluation of the operand makes)."""
    from pycparser import c_ast

    from models.consteval import NotConstant

    where = c.where(node.coord)
    steps: list[c_ast.StructRef | c_ast.ArrayRef] = []
    while isinstance(node, c_ast.StructRef | c_ast.ArrayRef):
        steps.append(node)
        node = node.name
    for ref in steps:
        if isinstance(ref, c_ast.ArrayRef):
            try:
                c.const(ref.subscript, scope)
            except NotConstant as exc:
                raise UnsupportedConstruct(where, f"per-CPU variable {label}: a subscript that is not a constant "
                                                  "(the run names a per-CPU variable by its text, which names every "
                                                  "element this reaches alike)") from exc
    var = c.global_var(node.name) if isinstance(node, c_ast.ID) else None
    if var is None:
        return None
    t = var.ctype
    for ref in reversed(steps):
        if isinstance(ref, c_ast.ArrayRef):
            if not isinstance(t, Array):
                raise UnsupportedConstruct(where, f"per-CPU variable {label}: {t} is not an array")
            t = t.elem
            continue
        ft = t.field(ref.field.name) if isinstance(t, Struct) and ref.type == "." else None
        if ft is None:
            raise UnsupportedConstruct(where, f"per-CPU variable {label}: {t} has no member '{ref.field.name}' "
                                              f"reachable with '{ref.type}'")
        t = ft
    if not isinstance(t, Int):
        raise UnsupportedConstruct(where, f"per-CPU variable {label} has type {t}: only integers are modelled")
    if t.bits > 64:  # include/linux/percpu-defs.h __pcpu_size_call(): sizes 1, 2, 4, 8, else a link error
        raise UnsupportedConstruct(where, f"per-CPU variable {label} has type {t}: the this_cpu operations take 1, 2, "
                                          "4 or 8 bytes (__bad_size_call_parameter() otherwise)")
    return t


def cpu_write(m: Machine, args: list[Any], where: str) -> None:
    """this_cpu_write(name, value[, (get, put)]): the run's copy set (event ``percpu-write``)."""
    # Listed in 64 bits, as the native harness keeps it; the value is already of the variable's type. A variable
    # the code declares is its object (args[2]: how to read and write it), which this_cpu_ptr() reaches too.
    if not isinstance(args[1], int):
        raise UnsupportedConstruct(where, f"per-CPU variable {args[0]} set to a pointer or an object: only integers "
                                          "are modelled")
    name, value = args[0], int(args[1]) & ((1 << 64) - 1)
    watch = m.percpu_watch
    if watch is not None:  # the stores made before this one (models.percpuwatch), then this write alone
        watch.flush(m, where)
    if len(args) > 2:
        get, put = args[2]
        put(args[1])
        m.percpu_live[name] = get
    if watch is not None:
        watch.sync(m)
    m.percpu[name] = value
    m.event("percpu-write", f"{name} = {int(args[1])}", where)  # shown in its type: a signed one may be < 0


def percpu_store(fn: Callable[[Any], Any], src: CType, dst: CType, where: str, name: str) -> Callable[[Any], Any]:
    """this_cpu_write() of a ``src`` value to a per-CPU ``_Bool`` ``name``: x86 stores the value's low byte where the
    write is an instruction (arch/x86/include/asm/percpu.h __raw_cpu_write(), __pcpu_cast_1()), converts it as C
    does where CONFIG_USE_X86_SEG_SUPPORT makes it an assignment: a non-zero value with a zero low byte (an error
    code's bit 63) is false in one build and true in the other, refused. A low byte of 2 to 255 reads back true in
    both, but the byte differs: it is kept (``Machine.percpu_bytes``) for the byte operations (percpu_byte())."""
    if dst != BOOL:
        return fn

    def store(f: Any) -> Any:
        v = fn(f)
        if isinstance(v, int):
            byte = v if src == BOOL else v & 0xFF
            if v and not byte:
                raise UnsupportedConstruct(where, f"per-CPU bool set to {v:#x}: x86 stores its low byte (false) where "
                                                  "this_cpu_write() is an instruction, true where "
                                                  "CONFIG_USE_X86_SEG_SUPPORT makes it a C assignment; which is not "
                                                  "known")
            if byte > 1:
                f.m.percpu_bytes[name] = byte
            else:
                f.m.percpu_bytes.pop(name, None)
        return v
    return store


def percpu_byte(m: Machine, args: list[Any], where: str) -> int:
    """The byte an x86 byte instruction (add, and, or, inc, dec, xadd, cmpxchg: arch/x86/include/asm/percpu.h
    percpu_binary_op(), percpu_add_op(), __pcpu_cast_1()) leaves in a per-CPU bool, from ``args[1]``, what it
    computes on the bool's byte and the operand's low byte. Refused where it is not 0 or 1 (a later read is 1 where
    this_cpu_read() is an instruction, undefined where it is a C read), and where the bool holds another byte than
    0 or 1 in one build (percpu_store()): the instruction works on different bytes in the two."""
    name = args[0].data.decode().replace(" ", "") if isinstance(args[0], StrVal) else str(args[0])
    held = m.percpu_bytes.get(name)
    if held is not None:
        raise UnsupportedConstruct(where, f"per-CPU bool {name} holds the byte {held:#x} where this_cpu_write() is an "
                                          "instruction and 1 where CONFIG_USE_X86_SEG_SUPPORT makes it a C "
                                          "assignment: a byte operation on it differs between the two")
    byte = int(args[1]) & 0xFF
    if byte > 1:
        raise UnsupportedConstruct(where, f"per-CPU bool {name} left holding the byte {byte:#x} (not 0 or 1) by x86's "
                                          "byte instruction: what a later read gives is not defined")
    return byte


def cpu_read(m: Machine, args: list[Any], where: str) -> int:
    """this_cpu_read(name[, (get, put)]): the run's copy; UnsupportedConstruct when no file declares it and the run
    has not written it."""
    if len(args) > 1:
        return int(args[1][0]())
    if args[0] not in m.percpu:  # declared in a header the mirror does not have: defined, maybe set, elsewhere
        raise UnsupportedConstruct(where, f"per-CPU variable {args[0]} is declared in no file the mirror has and the "
                                          "run has not written it: the value it holds is not known")
    return int(m.percpu[args[0]])


def on_cpu(m: Machine, args: list[Any], where: str) -> None:
    """per_cpu_ptr(ptr, cpu): the run's own CPU's copy is the variable (docs/mirror.md); another CPU's is not
    modelled."""
    if int(args[0]) != m.cpu:
        raise UnsupportedConstruct(where, f"per-CPU data of CPU {int(args[0])}: the run is on CPU {m.cpu}, other "
                                          "CPUs' copies are not modelled")
