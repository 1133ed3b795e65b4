"""C for the native cross-check, generated from the mirror's validated AST (pycparser's CGenerator)."""

from __future__ import annotations

import re
from collections.abc import Callable
from importlib import resources

from pycparser import c_ast, c_generator

from models.cparse import ALIGNOF, RANGE_OP, all_nodes
from models.ctype import VOID, CType, Int
from models.errors import MirrorError
from models.kernel import PRIMITIVES
from models.literals import replace_pr_fmt, uses_pr_fmt
from models.locking import GUARD_CLASSES, LOCK_OPS, LockOp, lock_kind
from models.lockpaths import lock_paths
from models.mirror import Mirror
from models.native.argslayout import ARGS_REGS, args_layout, layout_assert, layout_why
from models.native.declared import declared_only, incomplete_objects, object_storage
from models.native.deporder import in_dependency_order, last_definitions
from models.native.records import SITE_FUNCTION
from models.percpuwatch import watched
from models.prfmt_site import site_mark
from models.record import record
from models.statickeys import count_path
from models.values import Var

SEAM_PROTOTYPES = "".join(
    f"unsigned long long {name}(unsigned long long fn, struct tdx_module_args *args);\n"
    for name in ("__seamcall", "__seamcall_ret", "__seamcall_saved_ret"))




@record
class NativeSource:
    """The generated translation unit, what it leaves out and why, and each entry's result type."""

    text: str
    entries: dict[str, CType]
    skipped: dict[str, str]
    state_names: frozenset[str] = frozenset()  # the file-scope integers sh_state() reports (others are not)
    spans: tuple[tuple[int, int, str], ...] = ()  # (first line, last line, name) of each function's definition
    layout: tuple[str, ...] = ARGS_REGS  # the members of struct tdx_module_args, in order (argslayout.args_layout)

    def function_at(self, line: int) -> str | None:
        """The function whose definition holds ``line`` of the text (a compiler's error line), if any."""
        return next((name for first, last, name in self.spans if first <= line <= last), None)


def _site_macros() -> frozenset[str]:
    """The printing macros sh_native.h defines as ``NAME_at(site, fmt, ...)``: those a pr_fmt applies to."""
    text = resources.files("models.native").joinpath("sh_native.h").read_text()
    return frozenset(re.findall(r"^#define (\w+)_at\(site, ", text, re.MULTILINE))


SITE_MACROS = _site_macros()


def c_string(text: str) -> str:
    """A C string literal of ``text``'s UTF-8 bytes (octal escapes for all but plain printable ASCII)."""
    return '"' + "".join(chr(b) if 0x20 <= b < 0x7F and chr(b) not in '"\\?' else f"\\{b:03o}"
                         for b in text.encode()) + '"'


class GnuGenerator(c_generator.CGenerator):  # type: ignore[misc]
    """pycparser's generator, writing back the GNU C of models.cparse: ``a ?: b``, case ranges, attributes;
    with ``where`` (a coord's ``file:line``), a pr_*() call as ``pr_*_at("file:line", ...)``: its pr_fmt is
    the one of where it is written (models.prfmt_site), not of the run's unit."""

    def __init__(self, where: Callable[[object], str] | None = None,
                 c_name: Callable[[str], str] = lambda name: name) -> None:
        super().__init__()
        self._where = where
        self._c_name = c_name
        self._function = ""

    def visit_FuncDef(self, n: c_ast.FuncDef) -> str:
        self._function = self._c_name(n.decl.name)
        try:
            return str(super().visit_FuncDef(n))
        finally:
            self._function = ""

    def visit_FuncCall(self, n: c_ast.FuncCall) -> str:
        if self._where is not None and isinstance(n.name, c_ast.ID) and n.name.name in SITE_MACROS:
            args = "" if n.args is None else ", " + self.visit(n.args)
            # The site, and the function it is in (a pr_fmt may pass __func__: models.native.records.pr_line).
            site = self._where(n.coord) + (f"{SITE_FUNCTION}{self._function}" if self._function else "")
            return f"{n.name.name}_at({c_string(site)}{args})"
        return str(super().visit_FuncCall(n))

    def visit_Constant(self, n: c_ast.Constant) -> str:
        if n.type != "string" or not uses_pr_fmt(n.value):
            return str(super().visit_Constant(n))
        if self._where is None:
            raise MirrorError("", "a string with pr_fmt() in it needs its call site (GnuGenerator(where))")
        # Each pr_fmt() mark as a site mark (models.native.run puts that site's prefix there):
        # gcc joins it with the adjacent literals (KERN_<LEVEL>, the format) as it would the prefix.
        site = "".join(f"\\{b:03o}" for b in site_mark(self._where(n.coord)))
        return replace_pr_fmt(n.value, site)

    def visit_TernaryOp(self, n: c_ast.TernaryOp) -> str:
        if n.iftrue is not None:
            return str(super().visit_TernaryOp(n))
        return f"({self._visit_expr(n.cond)}) ?: ({self._visit_expr(n.iffalse)})"

    def visit_UnaryOp(self, n: c_ast.UnaryOp) -> str:
        if n.op == ALIGNOF:  # GNU's spelling takes an expression too (pycparser would write "_Alignofx")
            return f"__alignof__({self._visit_expr(n.expr)})"
        return str(super().visit_UnaryOp(n))

    def visit_BinaryOp(self, n: c_ast.BinaryOp) -> str:
        if n.op == RANGE_OP:
            return f"{self._visit_expr(n.left)} ... {self._visit_expr(n.right)}"
        return str(super().visit_BinaryOp(n))

    def visit_AttributeSpecifier(self, n: c_ast.AttributeSpecifier) -> str:
        return "__attribute__((" + ", ".join(self.visit(a) for a in n.attributes) + "))"


def _lock_macro(name: str, op: LockOp) -> str:
    """A lock primitive of models.locking as a macro over the harness's one interpreter of operations."""
    params = (["l"] if op.lock else []) + (["f"] if op.flags_arg >= 0 else []) + (["s"] if op.subclass_arg >= 0
                                                                                   else [])
    lock = "sh_lock_name(#l, __sh_l)" if op.lock else '""'
    flags = "(unsigned long)(f)" if op.flags_arg >= 0 else "0"
    call = f'sh_run_ops("{op.ops}", {lock}, {flags}, 0)'
    body = {"void": f"((void){call})", "flags": call, "zero": f"((void){call}, 0)",
            "ok": f'({{ int __sh_ok; sh_run_ops("{op.ops}", {lock}, {flags}, &__sh_ok); __sh_ok; }})',
            "locked": f"sh_lock_held({lock})", "locked_bool": f"(_Bool)sh_lock_held({lock})"}[op.returns]
    # mutex_init() and friends: a static key in each expansion, the lock class of every lock it initialises
    key = "static char __sh_key; sh_lock_key(&__sh_key); " if "N" in op.ops else ""
    key += "sh_lock_subclass((unsigned int)(s)); " if op.subclass_arg >= 0 else ""
    if op.lock:  # the lock evaluated once: its name, and its object for the initialisation check
        body = (f"({{ __auto_type __sh_l = (l); {_kind_check(name)}sh_lock_object(SH_LOCK_OBJ(__sh_l), "
                f"SH_LOCK_MUTEX(__sh_l)); {key}{body}; }})")
    return f"#define {name}({', '.join(params)}) {body}"


def _kind_check(name: str) -> str:
    """The check that a lock primitive's argument points at its kind of lock (models.locking.check_lock_kind())."""
    kind = lock_kind(name)
    return f"SH_LOCK_KIND(__sh_l, {kind[1]}); " if kind else ""


def primitive_definitions() -> str:
    """The lock primitives and guard classes for gcc, from the tables the mirror runs (models.locking)."""
    lines = [_lock_macro(name, op) for name, op in LOCK_OPS.items()]
    for kind, cls in GUARD_CLASSES.items():
        # The lock evaluated once: its name and, for __guard_ptr(), its address ((void *)1 without one).
        new = f'sh_guard_new("{kind}", "{cls.enter}", "{cls.exit}", '
        lines.append(f"#define class_{kind}_constructor(l) ({{ __auto_type __sh_l = (l); "
                     f"{_kind_check(f'class_{kind}')}sh_lock_object(SH_LOCK_OBJ(__sh_l), SH_LOCK_MUTEX(__sh_l)); "
                     f"{new}sh_lock_name(#l, __sh_l), __sh_l); }})" if cls.lock else
                     f'#define class_{kind}_constructor() {new}"", (const void *)1)')
        # The cleanup attribute names a function: one per class, as DEFINE_GUARD defines.
        lines.append(f"static inline void class_{kind}_destructor(struct __sh_guard *g) {{ sh_guard_del(g); }}")
    return "\n".join(lines) + "\n"


def _native_provided(ext: c_ast.Node) -> bool:
    """Prelude types the harness header defines itself (the guard state has real fields there)."""
    t = getattr(ext, "type", None)
    return isinstance(t, c_ast.Struct) and t.name == "__sh_guard" and t.decls is not None


def _identifiers(node: c_ast.Node) -> set[str]:
    found: set[str] = set()

    class V(c_ast.NodeVisitor):  # type: ignore[misc]
        def visit_ID(self, n: c_ast.ID) -> None:
            found.add(n.name)

    V().visit(node)
    return found


def validated(mirror: Mirror, left_out: dict[str, str] | None = None) -> tuple[set[str], dict[str, str]]:
    """Functions the mirror compiles, and every other one with the reason (its own, a callee's, or the one
    ``left_out`` gives: gcc did not build it)."""
    program, compiler = mirror.program, mirror.compiler
    ok: set[str] = set()
    bad: dict[str, str] = dict(program.dropped)
    if mirror.build_error is not None:
        return ok, {**bad, **dict.fromkeys(program.functions, mirror.build_error[0])}
    for name in program.functions:
        try:
            compiler.function(name)
            ok.add(name)
        except MirrorError as exc:
            bad[name] = str(exc)
    defined = [*program.functions.items(), *((ext.name, ext) for ext in program.ast.ext if _is_variable(ext))]
    sized = {n: why for n, why in ((n, _sized_pr_fmt(mirror, d)) for n, d in defined) if why is not None}
    for name, why in {**sized, **(left_out or {})}.items():
        ok.discard(name)
        bad[name] = why
    refs = {n: _identifiers(program.functions[n].body) for n in ok}
    variables = {ext.name: _identifiers(ext) for ext in program.ast.ext if _is_variable(ext)}
    changed = True
    while changed:
        changed = False
        for name, ids in variables.items():  # a table of function pointers needs what it points to
            blocked = sorted(ids & set(bad))
            if name not in bad and blocked:
                bad[name] = f"needs {blocked[0]}, which the native build leaves out: {bad[blocked[0]]}"
                changed = True
        for name in sorted(ok):
            blocked = sorted(refs[name] & set(bad))
            if blocked:
                ok.discard(name)
                bad[name] = f"needs {blocked[0]}(), which the native build leaves out: {bad[blocked[0]]}"
                changed = True
    return ok, bad


def _sized_pr_fmt(mirror: Mirror, ext: c_ast.Node) -> str | None:
    """Why the native build leaves out a definition sizing a string with pr_fmt() in it (a char array it
    initializes, sizeof): there it holds the site's mark, whose size and bytes are not the prefix's (the mirror
    sizes it with the run's pr_fmt: models.sizedstrings)."""
    for n in all_nodes(ext):
        init = n.init if isinstance(n, c_ast.Decl) and isinstance(n.type, c_ast.ArrayDecl) else \
            n.expr if isinstance(n, c_ast.UnaryOp) and n.op == "sizeof" else None
        if isinstance(init, c_ast.Constant) and init.type == "string" and uses_pr_fmt(init.value):
            return f"{mirror.program.where(init.coord)}: the size of a string with pr_fmt() in it: the native " \
                   "build holds its site's mark there, not the prefix"
    return None


def _is_variable(ext: c_ast.Node) -> bool:
    """A file-scope variable's declaration (not a function's prototype, a type or a tag)."""
    return isinstance(ext, c_ast.Decl) and bool(ext.name) and not isinstance(ext.type, c_ast.FuncDecl)


def entry_type(mirror: Mirror, wrapper: str) -> CType:
    """The C type of the expression an entry wrapper hands to __sh_result()."""
    node = mirror.program.functions[wrapper]
    call = node.body.block_items[0]
    sig = mirror.compiler.signature(wrapper)
    scope = [{"__sh_fn": Var("__sh_fn", sig.params[0], "local", "__sh_fn"),
              "__sh_args": Var("__sh_args", sig.params[1], "local", "__sh_args"),
              "#func": Var("", VOID, "local", "__func__")}]  # __func__ in a macro entry: typed, a char array
    return mirror.compiler.expr(call.args.exprs[0], scope)[1]


def _base_name(node: c_ast.Node) -> str | None:
    """The variable a per-CPU operand names: ``x``, or the ``x`` of ``x.member`` and ``x[i]``."""
    while isinstance(node, c_ast.StructRef | c_ast.ArrayRef):
        node = node.name
    return node.name if isinstance(node, c_ast.ID) else None


def _percpu_types(mirror: Mirror, funcs: list[c_ast.FuncDef]) -> tuple[list[str], set[str]]:
    """Per per-CPU variable, its declared type as the mirror reads it (models.kernel typed_by) and an object of
    that type that sh_native.h's SH_PCPU_T() takes the operand's type from (``x.member`` has the member's)."""
    typed = {name for name, p in PRIMITIVES.items() if p.typed_by is not None}
    names: set[str] = set()

    class V(c_ast.NodeVisitor):  # type: ignore[misc]
        def visit_FuncCall(self, n: c_ast.FuncCall) -> None:
            if isinstance(n.name, c_ast.ID) and n.name.name in typed and n.args is not None:
                base = _base_name(n.args.exprs[0])
                if base is not None:
                    names.add(base)
            self.generic_visit(n)

    for f in funcs:
        V().visit(f)
    out = []
    for name in sorted(names):
        var = mirror.compiler.global_var(name)
        spelled = "unsigned long long" if var is None else \
            var.ctype.spelled if isinstance(var.ctype, Int) else f"__typeof__({name})"
        if var is None:  # the mirror's u64, an object of it here too (sh_native.h's this_cpu_*() use it)
            out.append(f"static unsigned long long {name} __attribute__((unused));")
        out.append(f"typedef {spelled} __sh_pcpu_t_{name};")
        out.append(f"static __sh_pcpu_t_{name} __sh_pcpu_v_{name} __attribute__((unused));")
    return out, names


def undeclared_locks(mirror: Mirror, funcs: list[c_ast.FuncDef]) -> list[str]:
    """The locks the code names by a file-scope name it does not declare (``spin_lock(&demo_lock)`` where no
    file read defines demo_lock): the mirror knows a lock by its text, the native build needs an object to take
    the address of (sh_lock_name()), so each gets one there."""
    prims = {name for name, p in PRIMITIVES.items() if p.name_args and p.typed_by is None}
    names: set[str] = set()

    class V(c_ast.NodeVisitor):  # type: ignore[misc]
        def visit_FuncCall(self, n: c_ast.FuncCall) -> None:
            if isinstance(n.name, c_ast.ID) and (n.name.name in prims or _GUARD_CTOR.match(n.name.name)) \
                    and n.args is not None and n.args.exprs:
                base = _base_name(n.args.exprs[0].expr if isinstance(n.args.exprs[0], c_ast.UnaryOp)
                                  and n.args.exprs[0].op == "&" else n.args.exprs[0])
                if base is not None:
                    names.add(base)
            self.generic_visit(n)

    for f in funcs:
        V().visit(f)
    local = {n for f in funcs for n in _declared_names(f)}
    return sorted(n for n in names if n not in local and mirror.compiler.global_var(n) is None)


_GUARD_CTOR = re.compile(r"class_\w+_constructor$")


def _declared_names(f: c_ast.FuncDef) -> set[str]:
    """The names a function declares (parameters and locals), which a lock's text may start from."""
    out: set[str] = set()

    class V(c_ast.NodeVisitor):  # type: ignore[misc]
        def visit_Decl(self, n: c_ast.Decl) -> None:
            if n.name:
                out.add(n.name)
            self.generic_visit(n)

    V().visit(f)
    return out


def _state_dump(mirror: Mirror, exts: list[c_ast.Node], percpu: set[str]) -> tuple[str, frozenset[str]]:
    """sh_state(): each file-scope integer variable's value as a record, called before and after a run, so
    that the state a run leaves is compared with the mirror's (models.mirror.changed_state); a static local,
    a struct or an array is out of its reach. It registers the file-scope locks too (sh_lock_name()), hands
    each file-scope static key's count to sh_static_key(), which sets the ones the script turns on or off, and
    registers the per-CPU leaves the mirror watches (sh_percpu_leaf(): models.percpuwatch)."""
    lines, names = [], []
    for ext in exts:
        if not isinstance(ext, c_ast.Decl) or not ext.name or isinstance(ext.type, c_ast.FuncDecl) \
                or "extern" in ext.storage:
            continue  # a per-CPU variable the code declares is its object, compared as any other
        var = mirror.compiler.global_var(ext.name)
        for path, _ in lock_paths(ext.name, var.ctype) if var is not None else ():
            lines.append(f"\tsh_lock_global({c_string(path)}, &{path});")  # before the run: its name
        if var is not None and (count := count_path(ext.name, getattr(var.ctype, "tag", None))) is not None:
            lines.append(f"\tsh_static_key({c_string(mirror.program.c_name(ext.name))}, &{count});")
        if var is not None and isinstance(var.ctype, Int):  # a 128-bit one whole: its high half apart
            t = var.ctype
            # Named as the mirror names it (models.cload.Program.aliases), kept apart from another file's copy.
            label = mirror.program.c_name(ext.name)
            key = label if label == ext.name else f"{label}{SITE_FUNCTION}{ext.name}"
            lines.append(f'\tsh_state_int({c_string(key)}, (long long){ext.name}, {int(t.signed)}, {t.bits}, '
                         f'SH_HIGH({ext.name}));')
            names.append(label)
    lines.extend(f"\t{leaf_registration(leaf.path)}" for leaf in watched(mirror.compiler))
    return "void sh_state(void)\n{\n" + "".join(ln + "\n" for ln in lines) + "}", frozenset(names)


def leaf_registration(path: str) -> str:
    """sh_state()'s registration of a watched per-CPU leaf (models.percpuwatch): its name, address, size, signedness."""
    return f"sh_percpu_leaf({c_string(path)}, &{path}, (int)sizeof({path}), (__typeof__({path}))-1 < 0);"


_FUNC_NAMES = ("__func__", "__FUNCTION__", "__PRETTY_FUNCTION__")


def _with_c_name(code: str, name: str, c_name: str) -> str:
    """A function's code, whose ``__func__`` is ``c_name`` where the program renamed a file's own copy of it
    (models.cload.Program.aliases): gcc would give the new name, the kernel's build the one in the C."""
    if c_name == name:
        return code
    defines = "".join(f"#define {n} {c_string(c_name)}\n" for n in _FUNC_NAMES)
    return defines + code + "".join(f"\n#undef {n}" for n in _FUNC_NAMES)


def _entry_wrappers(mirror: Mirror, gen: GnuGenerator, ok: set[str], bad: dict[str, str], parts: list[str],
                    owners: dict[int, str]) -> dict[str, CType]:
    """Put on ``parts`` a typed wrapper of each entry point whose return the cross-check compares (its part
    owned by the wrapper), and in ``bad`` why another's is not; the entry points wrapped, with their types."""
    entries: dict[str, CType] = {}
    for entry, wrapper in mirror.program.entries.items():
        if wrapper not in ok:
            continue
        expr_node = mirror.program.functions[wrapper].body.block_items[0].args.exprs[0]
        t = entry_type(mirror, wrapper)
        expr = gen.visit(expr_node)
        if isinstance(t, Int) and t.bits > 64:  # its high 64 bits apart (sh_result_int())
            body = (f"__auto_type __sh_v = ({expr});\n\tsh_result_int((long long)__sh_v, {int(t.signed)}, {t.bits}, "
                    "SH_HIGH(__sh_v));")
        elif isinstance(t, Int):
            body = f"sh_result_int((long long)({expr}), {int(t.signed)}, {t.bits}, 0);"
        elif t == VOID:
            body = f"{expr}; sh_result_void();"
        else:
            bad[wrapper] = f"{entry} returns {t}, which the native cross-check does not compare"
            continue
        owners[len(parts)] = wrapper
        parts.append(f"void {wrapper}(u64 __sh_fn, struct tdx_module_args *__sh_args)\n{{\n\t{body}\n}}")
        entries[entry] = t
    return entries


def generate(mirror: Mirror, left_out: dict[str, str] | None = None) -> NativeSource:
    """The whole translation unit: types and globals, validated functions (but those ``left_out``, by why), and
    typed entry wrappers."""
    ok, bad = validated(mirror, left_out)
    gen = GnuGenerator(mirror.program.where, mirror.program.c_name)
    parts = ['#include "sh_native.h"', primitive_definitions()]
    wrappers = set(mirror.program.entries.values())
    funcs = [ext for ext in mirror.program.ast.ext
             if isinstance(ext, c_ast.FuncDef) and ext.decl.name in ok and ext.decl.name not in wrappers]
    layout = args_layout(mirror)
    if isinstance(layout, str):  # the registers the code passes are not known: nothing is made up
        return NativeSource("", {}, {w: layout for w in mirror.program.entries.values()})
    kept = last_definitions(mirror.program.ast.ext)
    declared: set[str] = set()
    written = [e for e in mirror.program.ast.ext
               if not isinstance(e, c_ast.FuncDef) and not _native_provided(e) and id(e) in kept]
    for ext in in_dependency_order(written):
        if _is_variable(ext) and ext.name in bad:
            continue
        # A prototype of each function a declaration names (a table of function pointers), before it.
        used = _identifiers(ext)
        parts.extend(gen.visit(f.decl) + ";" for f in funcs if f.decl.name in used - declared)
        declared |= used & {f.decl.name for f in funcs}
        parts.append(gen.visit(ext) + ";")
        if isinstance(ext, c_ast.Decl) and getattr(ext.type, "name", None) == "tdx_module_args":
            parts.append(SEAM_PROTOTYPES + layout_assert(layout, layout_why(layout)))
    # An object only declared has no definition the native library could link (rawtu.tu_text says why): its own.
    opaque = incomplete_objects(mirror)
    parts.extend(object_storage(n, n in opaque) for n, _ in declared_only(mirror)
                 if n not in bad and any(_is_variable(e) and e.name == n for e in written))
    percpu, percpu_names = _percpu_types(mirror, funcs)
    parts.extend(percpu)
    parts.extend(f"static int {n} __attribute__((unused));" for n in undeclared_locks(mirror, funcs))
    dump, state_names = _state_dump(mirror, [e for e in mirror.program.ast.ext if not _native_provided(e)
                                             and not (_is_variable(e) and e.name in bad)],
                                    percpu_names)
    # The mirror keeps definitions in the order it found them; C wants a declaration before each use.
    parts.extend(gen.visit(f.decl) + ";" for f in funcs if f.decl.name not in declared)
    owners: dict[int, str] = {}  # the parts that define a function: a compiler's error there is that function's
    for f in funcs:
        owners[len(parts)] = f.decl.name
        parts.append(_with_c_name(gen.visit(f), f.decl.name, mirror.program.c_name(f.decl.name)))
    entries = _entry_wrappers(mirror, gen, ok, bad, parts, owners)
    parts.append(dump)
    return NativeSource("\n\n".join(parts) + "\n", entries, bad, state_names, _spans(parts, owners), layout)


def _spans(parts: list[str], owners: dict[int, str]) -> tuple[tuple[int, int, str], ...]:
    """(first line, last line, name) of the parts that define functions, in ``"\\n\\n".join(parts)``."""
    out, line = [], 1
    for i, part in enumerate(parts):
        if i in owners:
            out.append((line, line + part.count("\n"), owners[i]))
        line += part.count("\n") + 2
    return tuple(out)
