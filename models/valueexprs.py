"""Changed values of two programs: expressions other than conditions that compute otherwise for some value of one name.

A patch that changes what a function returns, passes or stores (``return err;`` made ``return err & ~0x10ULL;``,
``seamcall_err(fn, err, args)`` made ``seamcall_err(fn, err & ~0x10ULL, args)``, the leaf printed as ``fn &
~0x10ULL``) changes behaviour only at the values it computes otherwise: a status with bit 4 set, which no script
answers, a leaf no scenario takes. No condition changed, so models.neighbours finds nothing to run, and every scenario
agrees: the comparison said "no behaviour change". Here each function both programs have is read for its value
expressions outside conditions (a ``return``'s, each argument of a call, what a declaration or ``=`` stores), a local
stored once with a computed value read as that value (``u64 shown = err & ~0x10ULL;`` then ``g(shown)``), a store
among the body's own statements read after it as the value it stores (``err &= ~0x10ULL;`` a patch adds before
``return err;``: the value returned changed), paired one for one with the other side's where as many replaced as many,
else where a place is the only one of its kind on each side, and each goes to the same place (a return, a callee's
argument); a pair whose two forms read one name and nothing else (no call, no store) is worked out as C computes it
(models.condeval) at every bit alone, 0, all ones, the values given (the matrix's answers and leaves) and each of
those with one bit flipped; one reading two names, at pairs of those; three or four, at their combinations (_points);
and where all of those agree, for every value of every name it reads (models.exactcond: the solver's values, computed
here; what the solver does not decide is not worked out, never the same). Where the two compute otherwise, those
values are the pair's ``apart``: the caller runs them as answers, and holds the pair to be undecided unless a run
shows the difference; one reading more names is held undecided unless a run shows a difference. A call is worked out
where models.condeval computes it (a helper whose body only returns, chosen by ifs: ``return sc_clean(err);``). A pair
not worked out otherwise (a call of a function doing more, a store, a value not computed) is left to the runs as
before.
"""

from __future__ import annotations

import copy
import difflib
import itertools
from collections import Counter
from collections.abc import Callable, Iterable
from typing import TypeVar, cast

from pycparser import c_ast

from models.cload import Program
from models.condeval import MASK64, Eval, declared, exact, nodes, rebuilt
from models.condeval import shape as _shape
from models.consttables import calls_compared, pointing, tabled, tabled_calls
from models.cparse import param_list
from models.deadstores import unread_store
from models.fileconsts import constants, plain
from models.handedon import handed_on
from models.knownbits import Bits
from models.linecoord import file_line
from models.neighbours import _conditions, free_names
from models.record import record
from models.stores import stores as _stores
from models.stores import written as _written
from models.valuecalls import COMPOUND, callee_stores, named_calls, returned, through

APART_MAX = 4  # values run per changed value: those next to an answer a script gives first
NAMES_MAX = 4  # names a changed value may read and be worked out; one reading more is said as not worked out
_PRODUCTS = 4096  # points of three or more names tried from the given values' every combination (_points)
Valued = tuple[tuple[object, ...], c_ast.Node]  # a value expression with where it goes (_values)
_T = TypeVar("_T")


@record
class ChangedValue:
    """A value expression of ``function`` that computes otherwise on the two sides: where each is (file:line), the
    names they read and values of them at which the two differ (next to the given ones first, at most APART_MAX),
    each a value per name in ``names``' order; no values where it reads more than NAMES_MAX (not worked out)."""

    function: str
    a_where: str
    b_where: str
    names: tuple[str, ...]
    points: tuple[tuple[int, ...], ...]

    @property
    def name(self) -> str:
        return ", ".join(self.names)

    @property
    def apart(self) -> tuple[int, ...]:
        """The values of the points, each once: what the runs give as the SEAMCALL's first answer."""
        return tuple(dict.fromkeys(v for p in self.points for v in p))


def _values(func: c_ast.FuncDef, p: Program | None = None, tabled_ids: set[int] | None = None) -> list[Valued]:
    """A function's value expressions outside its conditions, in source order, each with where it goes: a return's,
    a call's argument (the callee and the argument's place), what a declaration, ``=`` or ``op=`` stores (and where:
    ``("store", the lvalue's shape, the name stored or None)``, ``x op= v`` as ``(T)(x op v)``, T x's declared type);
    a store carried to the reads after it (_carried) is compared there, not as a store. With ``p``, a call of a
    function of the code's own is followed by the stores it makes that the caller sees (_callee_stores). A read of a
    const table's entry is put as the entry (models.consttables), the id of each value that read one in
    ``tabled_ids``."""
    inside = {id(x) for c in _conditions(func) for x in nodes(c)}
    held = _held(func)
    # A read of a const table's entry is the entry (models.consttables): compared as the function or number it is.
    table: Callable[[c_ast.Node], c_ast.Node] = (lambda x: tabled(p, func, x)) if p is not None else (lambda x: x)
    pointers = pointing(p, func) if p is not None else {}
    carried, reads = _of_body("carried", func, _carried)  # each program pair asks its functions again
    inside |= {id(x) for it in func.body.block_items or () if id(it) in carried for x in nodes(it)}
    decls = {d.name: d for d in nodes(func) if isinstance(d, c_ast.Decl) and d.name}
    out: list[tuple[tuple[object, ...], c_ast.Node]] = []
    for n in nodes(func.body):
        if id(n) in inside:
            continue
        if isinstance(n, c_ast.Return) and n.expr is not None:
            out.append((("return",), n.expr))
        elif isinstance(n, c_ast.FuncCall) and n.args is not None:
            callee = _shape(table(n.name))
            out += [(("argument", callee, i), a) for i, a in enumerate(n.args.exprs)
                    if not isinstance(a, c_ast.Constant)]
            out += _stores_of(callee_stores(p, n), decls) if p is not None else []
        elif isinstance(n, c_ast.Decl) and n.init is not None and not isinstance(n.init, c_ast.InitList):
            out += [(("init", n.name), n.init)] if n.name not in held and n.name not in pointers else []  # where read
        elif isinstance(n, c_ast.Assignment) and (n.op == "=" or n.op in COMPOUND) and not unread_store(func, n):
            name = n.lvalue.name if isinstance(n.lvalue, c_ast.ID) else None
            value = n.rvalue if n.op == "=" else _assigned(n, decls.get(name) if name else None)
            out += [] if name in held else [(("store", _shape(n.lvalue), name), value)]
    found: list[Valued] = []
    for key, x in out:
        kept = _inlined(_put(x, reads), held)
        put = table(kept)
        value = _as_returned(func, put) if key == ("return",) else put
        if put is not kept and tabled_ids is not None:
            tabled_ids.add(id(value))
        found.append((key, value))
    return found


def _as_returned(func: c_ast.FuncDef, x: c_ast.Node) -> c_ast.Node:
    """What ``return x;`` gives the caller: ``x`` converted to the function's return type (C11 6.8.6.4), so that a
    ``bool`` function's ``return fn & BIT(63);`` and ``return (s64)fn < 0;`` are one value, and a ``u32`` one's
    ``return fn;`` and ``return fn & 0xffffffff;`` too; ``x`` itself for a pointer or unknown return type."""
    kind = func.decl.type.type
    if not isinstance(kind, c_ast.TypeDecl) or not isinstance(kind.type, c_ast.IdentifierType):
        return x
    return c_ast.Cast(c_ast.Typename(None, [], None, kind, x.coord), x, x.coord)


def _stores_of(stores: list[c_ast.Assignment], decls: dict[str, c_ast.Decl]) -> list[Valued]:
    """Stores a callee makes that the caller sees, as the caller's own (``("store", ...)``, as _values)."""
    out: list[Valued] = []
    for n in stores:
        name = n.lvalue.name if isinstance(n.lvalue, c_ast.ID) else None
        value = n.rvalue if n.op == "=" else _assigned(n, decls.get(name) if name else None)
        out.append((("store", _shape(n.lvalue), name), value))
    return out


def _assigned(n: c_ast.Assignment, decl: c_ast.Decl | None) -> c_ast.Node:
    """The value ``x op= v`` stores: ``x op v`` converted to x's declared type (C11 6.5.16.2: as ``x = x op v``)."""
    value: c_ast.Node = c_ast.BinaryOp(n.op[:-1], n.lvalue, n.rvalue, n.coord)
    return c_ast.Cast(c_ast.Typename(None, [], None, decl.type, n.coord), value, n.coord) if decl else value


def _carried(func: c_ast.FuncDef) -> tuple[set[int], dict[int, c_ast.Node]]:
    """The stores among the function body's own statements (``err &= ~0x10ULL;``, ``err = err & mask;``, ``if
    (err) err &= ~0x10ULL;``: to a local or parameter whose address is never taken, of a value that only computes)
    whose value every read after them in that body sees (no store of the name, or of a name the value reads, in a
    branch or loop between): the ids of those stores, and each such read's id with the value it sees. A store a
    patch adds before ``return err;`` then changes the value returned, and is compared there; a store some later
    read may not see is not carried, and stays a store."""
    if any(isinstance(x, (c_ast.Goto, c_ast.Label)) for x in nodes(func.body)):
        return set(), {}
    items = func.body.block_items or []
    addressed = {x.expr.name for x in nodes(func.body)
                 if isinstance(x, c_ast.UnaryOp) and x.op == "&" and isinstance(x.expr, c_ast.ID)}
    decls = {d.name: d for d in nodes(func) if isinstance(d, c_ast.Decl) and d.name}
    stored = {i: _stored(x, addressed, decls) for i, x in enumerate(items)}
    carried: set[int] = set()
    reads: dict[int, c_ast.Node] = {}
    for i, found in ((i, v) for i, v in stored.items() if v is not None):
        name, value, _ = found
        later = _reads_after(items, i, name, free_names(value) - {name}, stored)
        if later is not None:
            carried.add(id(items[i]))
            seen = _put(value, reads)
            reads.update({id(x): seen for x in later})  # a store after it reads it too (_reads_after)
    return carried, reads


Stored = tuple[str, c_ast.Node, list[c_ast.ID]]  # the name a statement stores, the value, its reads of the name


def _reads_after(items: list[c_ast.Node], i: int, name: str, inputs: frozenset[str],
                 stored: dict[int, Stored | None]) -> list[c_ast.ID] | None:
    """The reads of ``name`` in the statements after ``items[i]`` up to the next store of it among them (that
    store's own reads of it included); None where one may not see the store's value: the name stored otherwise (in
    a loop, through a step) before that, or a name the value reads (``inputs``) stored anywhere between."""
    later: list[c_ast.ID] = []
    for j in range(i + 1, len(items)):
        written = _stores(items[j]).keys()
        if inputs & written:
            return None
        if name not in written:
            later += [x for x in nodes(items[j]) if isinstance(x, c_ast.ID) and x.name == name]
            continue
        again = stored[j]
        return later + again[2] if again is not None and again[0] == name else None
    return later


def _stored(stmt: c_ast.Node, addressed: set[str], decls: dict[str, c_ast.Decl]) -> Stored | None:
    """What a statement ``x = v;``, ``x op= v;`` or ``if (c) x = v;`` (no else) stores in x: the value, converted to
    x's declared type (C11 6.5.16.1), ``c ? v : x`` for the ``if``; None for any other statement, a value that does
    not only compute, or a name whose address is taken."""
    cond = None
    if isinstance(stmt, c_ast.If) and stmt.iffalse is None:
        cond, stmt = stmt.cond, stmt.iftrue
        if isinstance(stmt, c_ast.Compound) and stmt.block_items and len(stmt.block_items) == 1:
            stmt = stmt.block_items[0]
    if not isinstance(stmt, c_ast.Assignment) or not isinstance(stmt.lvalue, c_ast.ID) or \
            (stmt.op != "=" and stmt.op not in COMPOUND):
        return None
    name = stmt.lvalue.name
    decl = decls.get(name)
    value = _assigned(stmt, decl) if stmt.op != "=" else \
        c_ast.Cast(c_ast.Typename(None, [], None, decl.type, stmt.coord), stmt.rvalue, stmt.coord) if decl else \
        stmt.rvalue
    if cond is not None:
        value = c_ast.TernaryOp(cond, value, c_ast.ID(name, stmt.coord), stmt.coord)
    if decl is None or name in addressed or not plain(value) or free_names(value) & addressed:
        return None
    return name, value, [x for x in nodes(value) if isinstance(x, c_ast.ID) and x.name == name]


def _put(n: c_ast.Node, reads: dict[int, c_ast.Node]) -> c_ast.Node:
    """A copy of ``n`` with each read in ``reads`` put as the value it sees (``n`` itself where it holds none)."""
    if not reads or not any(id(x) in reads for x in nodes(n)):
        return n
    if id(n) in reads:
        return reads[id(n)]
    return rebuilt(n, lambda x: _put(x, reads))


def _held(func: c_ast.FuncDef) -> dict[str, c_ast.Node]:
    """The locals stored once, with a value that only computes from names stored at most once (parameters never):
    what such a local holds wherever it is read (``u64 shown = err & ~0x10ULL;`` then ``seamcall_err(fn, shown,
    args)``), so that the value passed is compared, not the local's name."""
    written, params = _written(func), set(param_list(func))
    out: dict[str, c_ast.Node] = {}
    for name, stores in written.items():
        value = stores[0] if len(stores) == 1 and name not in params else None
        if value is not None and plain(value) and \
                all(len(written.get(r, ())) <= (r not in params) for r in free_names(value)):
            out[name] = value
    return out


def _inlined(n: c_ast.Node, held: dict[str, c_ast.Node], depth: int = 4) -> c_ast.Node:
    """A copy of ``n`` with each local of ``held`` it reads put as the value it holds (``depth`` locals deep)."""
    if depth == 0 or not free_names(n) & held.keys():
        return n
    if isinstance(n, c_ast.ID):  # where it is read: the line a report names
        value = copy.copy(_inlined(held[n.name], held, depth - 1))
        value.coord = n.coord
        return value
    return rebuilt(n, lambda x: _inlined(x, held, depth))


_TRIED: dict[tuple[int, ...], list[int]] = {}  # the values given (the matrix's, the same for each pair) -> _tried's


def _tried(given: Iterable[int]) -> list[int]:
    """The given values and each with one bit flipped (first: next to what a script answers), then every bit alone,
    0 and all ones. Worked out once per values given (each pair of programs compared gives the matrix's): shared,
    read only."""
    key = tuple(sorted({g & MASK64 for g in given}))
    kept = _TRIED.get(key)
    if kept is None:
        if len(_TRIED) > 64:
            _TRIED.clear()
        kept = _TRIED[key] = _near(key)
    return kept


def _near(given: tuple[int, ...]) -> list[int]:
    near: dict[int, None] = {}
    for g in given:
        near.update(dict.fromkeys(g ^ (1 << i) for i in range(64)))
    return [*dict.fromkeys([*near, *(1 << i for i in range(64)), 0, MASK64])]


def _computed(p: Program, function: str, x: c_ast.Node, names: tuple[str, ...], at: tuple[int, ...]) -> int | None:
    return exact(Eval(p, {n: Bits.of(v, declared(p, function, n)) for n, v in zip(names, at, strict=True)}), x)


def _points(names: tuple[str, ...], given: list[int], tried: list[int]) -> Iterable[tuple[int, ...]]:
    """The values tried of one name (``tried``); of more, first every name at each of those (one answer two names
    hold: ``err`` against ``raw & ~0x10ULL``, raw the local the answer now goes to); of two, then each pair of the
    given values, 0 and all ones, then each
    name at every bit alone, 0 and all ones with the other at one of those: a mask one name makes of the other
    (``err & ~(fn & 0x10ULL)``) shows at a bit alone against all ones. Of three or more, the given values' every
    combination (the first _PRODUCTS), then each name at every bit alone, 0 and all ones with the others each at 0
    or all ones (``(err & ~0x10ULL) | (fn & left & 0)`` shows at err = 0x10)."""
    if len(names) == 1:
        return ((v,) for v in tried)
    fixed = [*dict.fromkeys([*given, 0, MASK64])]
    sweep = [*(1 << i for i in range(64)), 0, MASK64]
    same = [(v,) * len(names) for v in tried]  # each name at one value: two names for one answer
    if len(names) == 2:
        return dict.fromkeys([*same, *((u, v) for u in fixed for v in fixed), *((u, v) for u in fixed for v in sweep),
                              *((u, v) for u in sweep for v in fixed)])
    ends = list(itertools.product((0, MASK64), repeat=len(names) - 1))
    swept = ((*rest[:i], v, *rest[i:]) for i in range(len(names)) for v in sweep for rest in ends)
    return dict.fromkeys([*same, *itertools.islice(itertools.product(fixed, repeat=len(names)), _PRODUCTS), *swept])


def _apart(pa: Program, pb: Program, function: tuple[str, str], x: c_ast.Node, y: c_ast.Node,
           tried: tuple[list[int], list[int]]) -> tuple[tuple[str, ...], tuple[tuple[int, ...], ...]] | None:
    """The names the two read (at most NAMES_MAX) and the values of them at which ``x`` and ``y`` compute
    otherwise; None where not worked out (no name, a store, a value not computed: a call of a function whose body
    does more than return). ``tried``: the given
    values, and those to try of one name (_tried). Reading more names, they are given with no values: not worked
    out, which the caller says (never taken for no change)."""
    x, y = constants(pa, function[0], returned(pa, x)), constants(pb, function[1], returned(pb, y))
    found = _worked_out(pa, pb, function, x, y, tried)
    if found is None and plain(x, calls=True) and plain(y, calls=True):
        found = _worked_out(pa, pb, function, *named_calls(x, y, frozenset()), tried)  # a call both make, a name
    return found


def _worked_out(pa: Program, pb: Program, function: tuple[str, str], x: c_ast.Node, y: c_ast.Node,
                tried: tuple[list[int], list[int]]) -> tuple[tuple[str, ...], tuple[tuple[int, ...], ...]] | None:
    names = tuple(sorted(free_names(x) | free_names(y)))
    if not names or not plain(x, calls=True) or not plain(y, calls=True):
        return None
    if len(names) > NAMES_MAX:  # said as not worked out; a call among them is what the runs make, as before
        return (names, ()) if plain(x) and plain(y) else None
    found: list[tuple[int, ...]] = []
    for at in _points(names, *tried):
        p, q = _computed(pa, function[0], x, names, at), _computed(pb, function[1], y, names, at)
        if p is None or q is None:
            return None
        if p != q and len(found) < APART_MAX:
            found.append(at)
    if found:
        return names, tuple(found)
    # Every point tried agrees: only the solver says "the same" (two names sampled at pairs of values missed
    # ``err + (err * 3 + fn == 0x77777)``); values it finds apart (a leaf no run may give) leave the pair undecided.
    more = _solved(pa, pb, function, (x, y), names)
    return (names, more) if more is not None else ((), ())  # no names: said as not worked out


def _solved(pa: Program, pb: Program, function: tuple[str, str], pair: tuple[c_ast.Node, c_ast.Node],
            names: tuple[str, ...]) -> tuple[tuple[int, ...], ...] | None:
    """Where every value tried of the names agrees: the values the solver finds the two apart at (models.exactcond,
    checked here with the mirror: ``return err + (err % 1000003 == 0x77777);`` for ``return err;``), none where it
    shows them alike; None where not worked out (said so by the caller, never taken for no change)."""
    from models.exactcond import Found, Side, values_apart

    x, y = pair
    found = values_apart((Side(pa, function[0], x), Side(pb, function[1], y)), names)
    if not isinstance(found, tuple):
        return () if found.found is Found.SAME else None
    p, q = _computed(pa, function[0], x, names, found), _computed(pb, function[1], y, names, found)
    return (found,) if p is not None and q is not None and p != q else None


def _paired(xs: list[Valued], ys: list[Valued]) -> Iterable[tuple[Valued, Valued]]:
    """The values of a span one side replaced with the other's, paired: one for one where as many replaced as many;
    else those whose place (a return, a callee's argument) is the only one of its kind on each side (a store added in
    a branch before ``return err & ~0x10ULL;``). A place several hold, or one side's alone, is not told apart."""
    if len(xs) == len(ys):
        return zip(xs, ys, strict=True)
    once = [k for k, n in Counter(k for k, _ in xs).items() if n == 1 and sum(k == q for q, _ in ys) == 1]
    return [(next(v for v in xs if v[0] == k), next(v for v in ys if v[0] == k)) for k in once]


def changed_values(pa: Program, pb: Program, given: Iterable[int]) -> list[ChangedValue]:
    """The value expressions of the functions both programs have that compute otherwise for some value of the names
    they read (``given``: the values to try first, the matrix's answers and leaves); a store one side alone makes
    of a name it reads (``err &= ~0x10ULL;`` added in a loop's body or an ``if``'s block, where no read after it is
    compared: _carried) against the name kept (_updates)."""
    known = sorted({g & MASK64 for g in given})
    tried = known, _tried(known)
    out: list[ChangedValue] = []
    compared = _compared(pa, pb)
    for function, renamed in compared:
        fa, fb = pa.functions[function], pb.functions[renamed]
        if _of_body("shape", fa.body, _shape) == _of_body("shape", fb.body, _shape):
            continue
        tabled_ids: set[int] = set()  # the values read through a const table: the ones compared but not the same
        xs, ys = _values(fa, pa, tabled_ids), _values(fb, pb, tabled_ids)
        match = difflib.SequenceMatcher(None, [(k, _shape(x)) for k, x in xs], [(k, _shape(y)) for k, y in ys],
                                        autojunk=False)
        for tag, i1, i2, j1, j2 in match.get_opcodes():
            if tag == "equal":
                continue
            pairs = [(x, y) for x, y in (_paired(xs[i1:i2], ys[j1:j2]) if tag == "replace" else ()) if x[0] == y[0]]
            updates = _updates(xs[i1:i2], ys[j1:j2], pairs)
            for (_, x), (_, y) in [*pairs, *updates]:
                found = _apart(pa, pb, (function, renamed), x, y, tried)
                if found is None and (((_, x), (_, y)) in updates or through(pa, x) or through(pb, y)
                                      or ((id(x) in tabled_ids or id(y) in tabled_ids)
                                          and not calls_compared(x, y, compared))):
                    # not worked out: an update one side alone makes, a read through a member (a table's entry put
                    # for it, which calls other functions than the other side, unless their bodies are compared)
                    found = (), ()
                fx, fy = free_names(x), free_names(y)
                if found is not None and found[0] and all(  # each a local read on a side, by path on each reading it
                        (n in fx or n in fy) and (n not in fx or _by_path(fa, n)) and (n not in fy or _by_path(fb, n))
                        for n in found[0]):
                    continue  # a local holding one constant or another by the path taken: decided by the runs
                if found is not None and (found[1] or not found[0] or len(found[0]) > NAMES_MAX):
                    out.append(ChangedValue(function, _where(pa, x), _where(pb, y), *found))
    return out


def _by_path(func: c_ast.FuncDef, name: str) -> bool:
    """Whether ``name`` is a local of ``func`` every store of which is a constant (``int ret = 0;`` ... ``ret =
    -EIO;``, its address never taken): what it holds is which store the path took last, and the paths are the
    decisions', each compared on its own (changed conditions) and each way run on both sides (harness.linecover),
    so a value reading only such names computes nothing a run does not show."""
    stores = _written(func).get(name)
    return bool(stores) and name not in param_list(func) and all(
        v is not None and not free_names(v) and plain(v) for v in stores or ())


def _compared(pa: Program, pb: Program) -> list[tuple[str, str]]:
    """The functions compared, by name on each side: those both programs have, a function made a wrapper of a new
    one against that one (models.handedon.handed_on), and a helper one side alone calls
    paired with the one the other side alone calls in its place (``sc_mark_dirty()`` renamed ``sc_call_dirty()``):
    the one function of one side that a function both have no longer calls, and the other side alone defines,
    against the one it calls instead, which the first side does not define, with as many parameters; a name paired
    otherwise elsewhere is not."""
    both = sorted(pa.functions.keys() & pb.functions.keys())
    found: dict[tuple[str, str], None] = {}
    for name in both:
        fa, fb = pa.functions[name], pb.functions[name]
        # A call through a const table's entry (models.consttables) is the call of the entry's function: the table
        # holds the function it no longer calls too, so that one is gone from the calls, not from the program.
        ta, tb = tabled_calls(pa, fa), tabled_calls(pb, fb)
        ca, cb = _called(fa) | ta, _called(fb) | tb
        gone = (ca - cb - (set() if ta or tb else pb.functions.keys())) & pa.functions.keys()
        new = (cb - ca - pa.functions.keys()) & pb.functions.keys()
        if len(gone) == 1 and len(new) == 1:
            a, b = next(iter(gone)), next(iter(new))
            if len(param_list(pa.functions[a])) == len(param_list(pb.functions[b])):
                found[a, b] = None
    olds, news = Counter(a for a, _ in found), Counter(b for _, b in found)
    # A body moved behind a wrapper (models.handedon: constants given to the helper's other parameters too): the
    # helper's values held to the old body's, a parameter given a constant read as any value, never as the same.
    moved = {(handed_on(pa, f, pb)[0], handed_on(pb, f, pa)[0]) for f in both}
    return [*dict.fromkeys([(f, f) for f in both] + [(a, b) for a, b in found if olds[a] == 1 and news[b] == 1] +
                           sorted(m for m in moved if m[0] != m[1]))]


def _called(func: c_ast.FuncDef) -> frozenset[str]:
    return _of_body("called", func.body, lambda body: frozenset(
        n.name.name for n in nodes(body) if isinstance(n, c_ast.FuncCall) and isinstance(n.name, c_ast.ID)))


# What is read of a function body, by kind and the body's id (held with it, so that its id is no other's meanwhile):
# each pair of programs compared reads every function both have, and a program is a side of several comparisons and
# rules (the corpus' eval: some 110 pairs of bodies for 60 distinct ones).
_BODIES: dict[tuple[str, int], tuple[c_ast.Node, object]] = {}


def _of_body(kind: str, body: c_ast.Node, read: Callable[[c_ast.Node], _T]) -> _T:
    kept = _BODIES.get((kind, id(body)))
    if kept is not None and kept[0] is body:
        return cast(_T, kept[1])
    if len(_BODIES) > 4096:
        _BODIES.clear()
    found = read(body)
    _BODIES[kind, id(body)] = (body, found)
    return found


def _where(p: Program, x: c_ast.Node) -> str:
    """Where a value is (file:line, the file's own line: models.linecoord.file_line); "" for a name kept (no
    coordinates: _updates), which a store of the other side's is compared with."""
    return "" if x.coord is None else file_line(p.where, x.coord)


def _updates(xs: list[Valued], ys: list[Valued], pairs: list[tuple[Valued, Valued]]
             ) -> list[tuple[Valued, Valued]]:
    """Each store one side alone makes of a value that reads what it stores to (``err &= ~0x10ULL;``, ``err = err &
    mask;``, ``args->rdx &= ~0x10ULL;``: an update), paired with that kept on the other side: the store changes what
    it holds where the two compute otherwise. A store paired already (``pairs``), or of a value not reading what it
    stores to (a clobber, an initialisation), is not."""
    used = {id(v) for pair in pairs for v in pair}
    out: list[tuple[Valued, Valued]] = []
    for side, values in enumerate((xs, ys)):
        for v in (v for v in values if v[0][0] == "store" and id(v) not in used):
            lvalue = next((x for x in nodes(v[1]) if _shape(x) == v[0][1]), None)  # read in what it stores
            if lvalue is None or lvalue is v[1]:  # 'x = x;' stores what x holds: it changes nothing
                continue
            kept = copy.copy(lvalue)
            kept.coord = None  # no place: said as none on its side (_where)
            out.append((v, (v[0], kept)) if side == 0 else ((v[0], kept), v))
    return out
