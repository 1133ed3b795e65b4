"""A function's retry loop, read from pycparser's AST: the variable its test compares a call's result with.

A review names the variable that holds the code a loop retries on (``retry_code`` in sc_retry()); another series
may call it anything. Its role names it: the loop (``do { } while (T)``, ``while (T)``, ``for (; T; )``, a
``for (;;)`` or ``while (1)`` left by ``if (T) break;``, or ``again: ... if (T) goto again;``) calls something
and stores the result (``ret = func(fn, args)``), and its test ``T`` compares that result with the code:
``ret == busy && --retry``. The other side of that comparison is the role's variable. A test of another shape
(the result handed to a helper, ``sc_need_retry(fn, ret)``) is said, never guessed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from pycparser import c_ast, c_generator

from models.cparse import all_nodes
from models.facts import RetryRole, RoleKind
from models.leaftaint import body_variables, param_names
from models.record import record

_EXPECT = frozenset({"likely", "unlikely", "__builtin_expect"})  # the test inside is the first argument
_SHAPES = "a do/while, while or for loop, or a goto back to a label"


@record
class _Loop:
    """A loop: the tests that keep it going or leave it, its body, and where it starts."""

    tests: tuple[c_ast.Node, ...]
    body: tuple[c_ast.Node, ...]
    coord: object


def _spelt(node: c_ast.Node) -> str:
    return str(c_generator.CGenerator().visit(node))


def _true(cond: c_ast.Node | None) -> bool:
    """``for (;;)``, ``while (1)``, ``while (true)``: a loop left only from its body."""
    return cond is None or (isinstance(cond, c_ast.Constant) and cond.value not in ("0", "0U", "0u"))


def _exits(stmt: c_ast.Node) -> list[c_ast.Node]:
    """The conditions of ``if (T) break;`` (or ``return``) directly in a loop's body."""
    items = (stmt.block_items or []) if isinstance(stmt, c_ast.Compound) else [stmt]
    out = []
    for item in items:
        if not isinstance(item, c_ast.If) or item.iffalse is not None:
            continue
        then = (item.iftrue.block_items or []) if isinstance(item.iftrue, c_ast.Compound) else [item.iftrue]
        if then and isinstance(then[-1], (c_ast.Break, c_ast.Return)):
            out.append(item.cond)
    return out


def _gotos(items: list[c_ast.Node], label: str) -> Iterator[tuple[int, c_ast.If]]:
    """(index, statement) of each ``if (T) goto label;`` among ``items`` (the statement may be nested)."""
    for i, item in enumerate(items):
        todo = [item]
        while todo:
            n = todo.pop()
            then = n.iftrue if isinstance(n, c_ast.If) else None
            if isinstance(then, c_ast.Compound) and len(then.block_items or []) == 1:
                then = then.block_items[0]
            if isinstance(then, c_ast.Goto) and then.name == label:
                yield i, n
            todo.extend(n)


def _loops(body: c_ast.Node) -> list[_Loop]:
    """Every loop of a function body, goto loops included."""
    out = []
    todo = [body]
    while todo:
        n = todo.pop()
        todo.extend(n)
        if isinstance(n, c_ast.DoWhile) and isinstance(n.cond, c_ast.Constant) and not _true(n.cond):
            continue  # do { } while (0): a block run once, no loop (a goto in it is found from its Compound)
        if isinstance(n, c_ast.DoWhile):
            out.append(_Loop((n.cond, *_exits(n.stmt)), (n.stmt,), n.coord))
        elif isinstance(n, (c_ast.While, c_ast.For)):
            cond = () if _true(n.cond) else (n.cond,)
            out.append(_Loop((*cond, *_exits(n.stmt)), (n.stmt,), n.coord))
        elif isinstance(n, c_ast.Compound):
            items = n.block_items or []
            for i, item in enumerate(items):
                if isinstance(item, c_ast.Label):
                    out += [_Loop((stmt.cond,), tuple(items[i:i + j + 1]), item.coord) for j, stmt in
                            _gotos(items[i:], item.name)]
    return out


def _results(nodes: tuple[c_ast.Node, ...]) -> set[str]:
    """The variables these statements (or tests) store a call's result in: ``ret = func(fn, args)``."""
    out = set()
    for n in (x for node in nodes for x in all_nodes(node)):
        if isinstance(n, c_ast.Assignment) and n.op == "=" and isinstance(n.lvalue, c_ast.ID):
            value = n.rvalue.expr if isinstance(n.rvalue, c_ast.Cast) else n.rvalue
            if isinstance(value, c_ast.FuncCall):
                out.add(n.lvalue.name)
    return out


def _leaves(test: c_ast.Node) -> Iterator[c_ast.Node]:
    """The parts of a test joined by ``&&``, ``||`` and ``!``, seen through likely()/unlikely()."""
    if isinstance(test, c_ast.BinaryOp) and test.op in ("&&", "||"):
        yield from _leaves(test.left)
        yield from _leaves(test.right)
    elif isinstance(test, c_ast.UnaryOp) and test.op == "!":
        yield from _leaves(test.expr)
    elif isinstance(test, c_ast.FuncCall) and isinstance(test.name, c_ast.ID) and test.name.name in _EXPECT \
            and test.args is not None and test.args.exprs:
        yield from _leaves(test.args.exprs[0])
    else:
        yield test


def _names(node: c_ast.Node) -> tuple[set[str], bool]:
    """The identifiers an expression names, and whether it calls something."""
    ids: set[str] = set()
    calls = False
    todo = [node]
    while todo:
        n = todo.pop()
        if isinstance(n, c_ast.ID):
            ids.add(n.name)
        elif isinstance(n, c_ast.FuncCall):
            calls = True
            todo.extend(child for k, child in n.children() if k != "name")
            continue
        elif isinstance(n, c_ast.Typename):
            continue
        todo.extend(n)
    return ids, calls


def _unmasked(node: c_ast.Node) -> c_ast.Node:
    """What ``x & MASK`` (``MASK & x``, a constant either side) keeps bits of: the status part of an answer
    (``(err & TDX_SEAMCALL_STATUS_MASK) == TDX_RND_NO_ENTROPY``) is compared as the answer is; ``node`` otherwise."""
    node = node.expr if isinstance(node, c_ast.Cast) else node
    if isinstance(node, c_ast.BinaryOp) and node.op == "&":
        for part, mask in ((node.left, node.right), (node.right, node.left)):
            mask = mask.expr if isinstance(mask, c_ast.Cast) else mask
            if isinstance(mask, c_ast.Constant):
                return part.expr if isinstance(part, c_ast.Cast) else part
    return node


def _bare(node: c_ast.Node) -> c_ast.Node:
    """``node`` without the casts, masks (_unmasked) and right shifts by a constant around it: what ``(err >> 32) !=
    (busy >> 32)`` compares the status class of is err and busy (the code retried on is still busy's)."""
    while True:
        node = _unmasked(node)
        if isinstance(node, c_ast.BinaryOp) and node.op == ">>" and isinstance(node.right, c_ast.Constant):
            node = node.left
        else:
            return node


def _is_result(node: c_ast.Node, results: set[str]) -> bool:
    node = _bare(node)
    return (isinstance(node, c_ast.ID) and node.name in results) or isinstance(node, c_ast.FuncCall) \
        or (isinstance(node, c_ast.Assignment) and isinstance(node.rvalue, c_ast.FuncCall))


# The codes a helper handed the result holds true for (models.retryset, given the test and the result's name), or None.
HelperCodes = Callable[[c_ast.FuncCall, str], "frozenset[int] | None"]


def _operands(loop: _Loop, helper: HelperCodes | None = None) -> tuple[list[c_ast.Node], str]:
    """What the loop's tests compare a call's result with, or why a test checks that result otherwise
    (neither: no test of the loop checks a call's result, so it is not a retry loop). A helper handed the result
    alone whose codes ``helper`` reads (a lookup in a const table) compares it with those codes."""
    results = _results((*loop.body, *loop.tests))
    found: list[c_ast.Node] = []
    for test in loop.tests:
        for leaf in _leaves(test):
            if isinstance(leaf, c_ast.BinaryOp) and leaf.op in ("==", "!=") \
                    and _is_result(leaf.left, results) != _is_result(leaf.right, results):
                found.append(_bare(leaf.right if _is_result(leaf.left, results) else leaf.left))
                continue
            handed = leaf.args.exprs if isinstance(leaf, c_ast.FuncCall) and leaf.args is not None else []
            codes = helper(leaf, handed[0].name) if helper is not None and isinstance(leaf, c_ast.FuncCall) and \
                len(handed) == 1 and isinstance(handed[0], c_ast.ID) and handed[0].name in results else None
            if codes:
                # Spelt as read, and said as the helper's: 'with 0x...ULL (is_retryable()'s) itself'.
                found += [c_ast.Constant("unsigned long long int", f"{v:#x}ULL ({_spelt(leaf.name)}()'s)")
                          for v in sorted(codes)]
                continue
            ids, calls = _names(leaf)
            if calls or ids & results:
                shown = ", ".join(sorted(results)) or "what it calls"
                return [], f"tests '{_spelt(leaf)}', which checks {shown} otherwise than by comparing it with a " \
                           "value: no variable is seen to hold the code it retries on"
    return found, ""


_JUMPS = (c_ast.Continue, c_ast.Break, c_ast.Return, c_ast.Goto)


def _unread_jump(loop: _Loop) -> c_ast.Node | None:
    """The test of an ``if`` or ``switch`` in the loop's body, not among its tests read, that checks a call's
    result and decides a jump (``if (ret == busy && --left) continue;``, a nested ``if``, a ``case``): the loop
    may retry under it, in a shape not read. Nested loops are loops of their own."""
    results = _results((*loop.body, *loop.tests))
    read = {id(t) for t in loop.tests}
    todo = list(loop.body)
    while todo:
        n = todo.pop()
        if isinstance(n, (c_ast.If, c_ast.Switch)) and id(n.cond) not in read:
            ids, calls = _names(n.cond)
            if (calls or ids & results) and _jumps(n):
                return n.cond
        todo.extend(child for _, child in n.children() if not isinstance(child, (c_ast.For, c_ast.While,
                                                                                 c_ast.DoWhile)))
    return None


def _jumps(node: c_ast.Node) -> bool:
    todo = [node]
    while todo:
        n = todo.pop()
        if isinstance(n, _JUMPS):
            return True
        todo.extend(n)
    return False


def _role(fn: str, loop: _Loop, where: str, own: frozenset[str], params: frozenset[str],
          helper: HelperCodes | None = None) -> RetryRole | None:
    """The role's variable in one loop; None when the loop is no retry loop."""
    found, why = _operands(loop, helper)
    place = f"{fn}()'s retry loop ({where})"
    if not found and not why:
        jump = _unread_jump(loop)
        if jump is None:
            return None
        # Never None: another loop of the function would choose the variable alone (a lookup loop's).
        return RetryRole(RoleKind.UNKNOWN, where=where,
                         why=f"{fn}()'s loop ({where}) repeats or leaves under '{_spelt(jump)}', an if or switch of "
                             "its body of a shape not read: no retry loop is recognised, none guessed")
    test = " && ".join(_spelt(t) for t in loop.tests)
    if why:
        return RetryRole(RoleKind.UNKNOWN, test=test, where=where, why=f"{place} {why}")
    variables, constants, other = [], [], []
    for op in found:
        ids, calls = _names(op)
        if isinstance(op, c_ast.ID) and op.name in own:
            variables.append(op.name)
        elif not ids and not calls:
            constants.append(_spelt(op))
        else:
            kind = "a parameter: its callers choose it" if isinstance(op, c_ast.ID) and op.name in params else \
                f"a name {fn}() does not declare" if isinstance(op, c_ast.ID) else "not a variable"
            other.append(f"'{_spelt(op)}' ({kind})")
    names = sorted(set(variables))
    if other or len(names) > 1 or (names and constants):
        shown = other + [f"'{n}'" for n in names] + ([f"the constant {constants[0]}"] if constants else [])
        return RetryRole(RoleKind.UNKNOWN, test=test, where=where,
                         why=f"{place} compares what it calls with {' and '.join(shown)}: not one variable of "
                             f"{fn}() holding the code it retries on")
    if names:
        return RetryRole(RoleKind.VARIABLE, names[0], test, where)
    return RetryRole(RoleKind.CONSTANT, test=test, where=where,
                     why=f"{place} compares what it calls with {' and '.join(dict.fromkeys(constants))} "
                         "itself: no variable holds the code it retries on")


def _declared(func: c_ast.FuncDef) -> tuple[frozenset[str], frozenset[str]]:
    """The variables the function's body declares, and its parameters."""
    return body_variables(func), param_names(func)


def retry_role(func: c_ast.FuncDef, where: Callable[[object], str], helper: HelperCodes | None = None
               ) -> RetryRole | None:
    """The role of the variable in ``func``'s retry loop; None when it has no loop at all."""
    fn = func.decl.name
    loops = _loops(func.body)
    if not loops:
        return None
    own, params = _declared(func)
    roles = [r for loop in loops if (r := _role(fn, loop, where(loop.coord), own, params, helper)) is not None]
    if not roles:
        return RetryRole(RoleKind.UNKNOWN, why=f"no loop of {fn}() ({_SHAPES}) has a test that checks what a call "
                                                "in it returns: no retry loop is recognised")
    if len({(r.kind, r.variable) for r in roles}) == 1:
        return roles[0]
    return RetryRole(RoleKind.UNKNOWN, why=f"{fn}() has {len(roles)} retry loops that disagree: "
                                           + "; ".join(r.why or f"({r.where}) compares with {r.variable}"
                                                       for r in roles))


def retries_on_answer(func: c_ast.FuncDef, seam: Callable[[str], bool]) -> str | None:
    """How ``func`` makes a SEAMCALL again on its answer, or None: a loop of it (do/while, while, for, or a goto back to
    a label: _loops) whose body calls a function ``seam`` accepts or one of ``func``'s parameters (a call it is
    handed), and goes round again for some answer other than 0 (success): its tests, and the ifs of its body that
    jump (break, continue, goto, return), read that call's result (the call itself, or a variable it is stored in),
    worked out for 0, for each constant they compare it with and for any other value (a test of anything else may go
    either way). Whatever the loop's spelling (a counter counted up or down, in the test or the body); a loop calling
    once per round whatever it answers (``ret |= func(fn + i, args)``), or going round only on success, is none."""
    params = param_names(func)
    for loop in _loops(func.body):
        called = [c for c in _calls((*loop.body, *loop.tests)) if c in params or seam(c)]
        if not called:
            continue
        held = _Held(frozenset(_results((*loop.body, *loop.tests))), frozenset(called))
        steps = _steps(loop)
        if not any(_reads(t, held) for t, _ in steps):
            continue
        answers = {0, -1, *(v for t, _ in steps for v in _compared(t, held))}
        if any(a != 0 and all(_goes_on(t, keep, a, held) for t, keep in steps) for a in answers):
            return (f"calls {called[0]}() again on an answer other than success "
                    f"({'; '.join(_spelt(t) for t, _ in steps)})")
    return None


@record
class _Held:
    """Where a loop holds a call's answer: the variables it is stored in, and the calls whose value it is."""

    names: frozenset[str]
    calls: frozenset[str]


def _calls(nodes: tuple[c_ast.Node, ...]) -> list[str]:
    """The names these statements call, in order, once each (likely()/unlikely() aside)."""
    out: dict[str, None] = {}
    todo = list(reversed(nodes))
    while todo:
        n = todo.pop()
        if isinstance(n, c_ast.FuncCall) and isinstance(n.name, c_ast.ID) and n.name.name not in _EXPECT:
            out[n.name.name] = None
        todo.extend(reversed([c for _, c in n.children()]))
    return list(out)


def _steps(loop: _Loop) -> list[tuple[c_ast.Node, bool | None]]:
    """Each test deciding whether the loop goes round again, with whether it does so when the test is true: a
    loop's condition or a goto's (True), an ``if (T) break;`` (False), an if or switch of its body that jumps
    otherwise (None: either way)."""
    exits = {id(t) for b in loop.body for t in _exits(b)}
    steps: list[tuple[c_ast.Node, bool | None]] = [(t, id(t) not in exits) for t in loop.tests]
    seen = {id(t) for t in loop.tests}
    todo = list(loop.body)
    while todo:
        n = todo.pop()
        if isinstance(n, (c_ast.If, c_ast.Switch)) and id(n.cond) not in seen and _jumps(n):
            steps.append((n.cond, None))
        todo.extend(c for _, c in n.children() if not isinstance(c, (c_ast.For, c_ast.While, c_ast.DoWhile)))
    return steps


def _is_answer(node: c_ast.Node, held: _Held) -> bool:
    node = node.expr if isinstance(node, c_ast.Cast) else node
    if isinstance(node, c_ast.Assignment):
        node = node.rvalue
    return (isinstance(node, c_ast.ID) and node.name in held.names) or (
        isinstance(node, c_ast.FuncCall) and isinstance(node.name, c_ast.ID) and node.name.name in held.calls)


def _reads(test: c_ast.Node, held: _Held) -> bool:
    todo = [test]
    while todo:
        n = todo.pop()
        if _is_answer(n, held):
            return True
        todo.extend(c for _, c in n.children())
    return False


def _compared(test: c_ast.Node, held: _Held) -> set[int]:
    """The constants a test compares the answer, or its bits under a mask, with (_value works the mask out)."""
    out = set()
    for leaf in _leaves(test):
        if isinstance(leaf, c_ast.BinaryOp):
            for a, b in ((leaf.left, leaf.right), (leaf.right, leaf.left)):
                if _is_answer(_unmasked(a), held) and (v := _value(b, 0, held)) is not None:
                    out.add(v)
    return out


def _goes_on(test: c_ast.Node, keep: bool | None, answer: int, held: _Held) -> bool:
    """Whether the loop may go round again past ``test`` when the call answered ``answer``."""
    v = _value(test, answer, held)
    return True if v is None or keep is None else bool(v) == keep


_OPS: dict[str, Callable[[int, int], int]] = {
    "==": lambda a, b: int(a == b), "!=": lambda a, b: int(a != b), "<": lambda a, b: int(a < b),
    ">": lambda a, b: int(a > b), "<=": lambda a, b: int(a <= b), ">=": lambda a, b: int(a >= b),
    "&": lambda a, b: a & b, "|": lambda a, b: a | b, "^": lambda a, b: a ^ b}


def _value(node: c_ast.Node, answer: int, held: _Held) -> int | None:
    """A test's value when the call answered ``answer`` (None: it depends on more than the answer)."""
    if _is_answer(node, held):
        return answer
    if isinstance(node, c_ast.Cast):
        return _value(node.expr, answer, held)
    if isinstance(node, c_ast.Constant) and node.type in ("int", "unsigned int", "long int", "unsigned long int",
                                                          "long long int", "unsigned long long int"):
        try:
            return int(node.value.rstrip("uUlL"), 0) if node.value.rstrip("uUlL") not in ("", "0") else 0
        except ValueError:
            return None
    if isinstance(node, c_ast.FuncCall) and isinstance(node.name, c_ast.ID) and node.name.name in _EXPECT \
            and node.args is not None and node.args.exprs:
        return _value(node.args.exprs[0], answer, held)
    if isinstance(node, c_ast.UnaryOp) and node.op == "!":
        v = _value(node.expr, answer, held)
        return None if v is None else int(not v)
    if isinstance(node, c_ast.BinaryOp) and node.op in ("&&", "||"):
        a, b = _value(node.left, answer, held), _value(node.right, answer, held)
        decided = 0 if node.op == "&&" else 1
        if decided in (None if a is None else int(bool(a)), None if b is None else int(bool(b))):
            return decided
        return None if a is None or b is None else int(bool(a) and bool(b) if node.op == "&&" else bool(a) or bool(b))
    if isinstance(node, c_ast.BinaryOp) and node.op in _OPS:
        a, b = _value(node.left, answer, held), _value(node.right, answer, held)
        return None if a is None or b is None else _OPS[node.op](a, b)
    return None
