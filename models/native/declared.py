"""Storage the native build gives objects the program only declares.

``extern`` objects and DECLARE_PER_CPU() that no file read defines, so no library would link them (models.native.codegen
and rawtu emit it).
"""

from __future__ import annotations

from pycparser import c_ast

from models.ctype import CType, Incomplete
from models.errors import UnsupportedConstruct
from models.mirror import Mirror


def object_storage(name: str, incomplete: bool) -> str:
    """A definition giving an object only declared storage the library links: a tentative definition of its
    declared type (C11 6.9.2); of an incomplete type (``extern struct seam_opaque seam_ctx;``, which C cannot
    define), a symbol of 16 bytes of the assembler's, which the C declaration names (its address is all the mirror
    lets code use of it: models.storage)."""
    if not incomplete:
        return f"__typeof__({name}) {name};"
    return (f'__asm__(".pushsection .bss\\n\\t.globl {name}\\n\\t.type {name}, @object\\n\\t.balign 16\\n'
            f'{name}:\\n\\t.zero 16\\n\\t.size {name}, 16\\n\\t.popsection");')


def incomplete_objects(mirror: Mirror) -> tuple[str, ...]:
    """The objects only declared (declared_only) whose type is a struct never defined."""
    return tuple(n for n, _ in declared_only(mirror) if isinstance(_global_type(mirror, n), Incomplete))


def _global_type(mirror: Mirror, name: str) -> CType | None:
    try:
        var = mirror.compiler.global_var(name)
    except UnsupportedConstruct:
        return None
    return var.ctype if var is not None else None


def declared_only(mirror: Mirror) -> tuple[tuple[str, str], ...]:
    """(name, file) of each object the program only declares (``extern``, DECLARE_PER_CPU()) and no file
    defines (models.storage: the mirror refuses its value before the run writes it)."""
    names = mirror.compiler.undefined_externs | set(mirror.compiler.declared_percpu)
    out = [(ext.name, str(getattr(ext.coord, "file", ""))) for ext in mirror.program.ast.ext
           if isinstance(ext, c_ast.Decl) and ext.name in names and not isinstance(ext.type, c_ast.FuncDecl)
           and "extern" in ext.storage]
    return tuple(dict.fromkeys(out))
