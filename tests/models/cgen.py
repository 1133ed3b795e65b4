"""Seeded random kernel-style C functions in the subset the mirror models (docs/mirror.md), for cdiff."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Union

# name -> (bits, signed); the kernel's fixed-width types and the C ones the helpers use (LP64, x86-64).
INT_TYPES: dict[str, tuple[int, bool]] = {
    "u8": (8, False), "u16": (16, False), "u32": (32, False), "u64": (64, False),
    "s8": (8, True), "s16": (16, True), "s32": (32, True), "s64": (64, True),
    "int": (32, True), "long": (64, True), "unsigned int": (32, False), "unsigned long": (64, False),
    "unsigned short": (16, False), "char": (8, True), "long long": (64, True), "unsigned char": (8, False),
}
LOCAL_TYPES = (*INT_TYPES, "bool", "enum cd_mode", "enum cd_flag")
RET_TYPES = ("long long", "int", "u64", "u32", "s8", "bool", "unsigned long", "s16")
LITERAL_SUFFIXES = ("", "U", "L", "UL", "LL", "ULL", "u", "ull")

PRELUDE = """\
enum cd_mode { CD_IDLE, CD_BUSY = 5, CD_DONE, CD_NEG = -3 };
enum cd_flag { CD_F0 = 1, CD_F1 = 2, CD_F2 = 0x80 };
struct cd_s { u8 a; s16 b; u32 c; u64 d; bool e; };
union cd_u { u64 full; u32 lo; u16 w; u8 b; s8 sb; s32 sl; };
static u32 cd_g32;
static s8 cd_g8;
static u64 cd_g64 = 0x1234;
static int cd_gint = -7;

static noinline void cd_bump(u32 *p, int k)
{
	*p += k;
	if (*p > 100)
		*p -= 7;
	cd_g32 += *p & 0xf;
}

static void cd_sadd(s64 *p, s64 v)
{
	*p = *p * 3 + v;
}

static void cd_fill(struct cd_s *s, u64 v)
{
	s->a = v;
	s->b = v >> 3;
	s->c += (u32)v;
	s->d ^= v;
}
"""
GLOBALS = (("cd_g32", "u32"), ("cd_g8", "s8"), ("cd_g64", "u64"), ("cd_gint", "int"))


@dataclass
class E:
    """An expression: ``fmt`` with ``{}`` holes filled by ``kids`` in order; ``shrink`` says which kids may
    stand for the whole (a minimiser's candidates)."""

    fmt: str
    kids: list[E] = field(default_factory=list)
    shrink: bool = True

    def render(self) -> str:
        return self.fmt.format(*(k.render() for k in self.kids)) if self.kids else self.fmt


Part = Union[str, E, "Block"]


@dataclass
class Block:
    stmts: list[Stmt] = field(default_factory=list)

    def render(self, depth: int) -> str:
        inner = "".join(s.render(depth + 1) for s in self.stmts)
        return "{\n" + inner + "\t" * depth + "}"


@dataclass
class Stmt:
    """A statement: its text, expressions and nested blocks in order (one line unless a block breaks it)."""

    parts: list[Part]
    fixed: bool = False  # a declaration or the label: the minimiser keeps it

    def render(self, depth: int) -> str:
        out = "".join(p if isinstance(p, str) else p.render() if isinstance(p, E) else p.render(depth)
                      for p in self.parts)
        return "\t" * depth + out + "\n"


@dataclass
class Func:
    name: str
    ret: str
    params: str
    decls: list[Stmt]
    body: Block
    tail: list[Stmt]

    def render(self) -> str:
        inner = "".join(s.render(1) for s in (*self.decls, *self.body.stmts, *self.tail))
        return f"static {self.ret} {self.name}({self.params})\n{{\n{inner}}}\n"


@dataclass
class Program:
    helpers: list[Func]
    entries: list[Func]

    def render(self) -> str:
        return PRELUDE + "".join("\n" + f.render() for f in (*self.helpers, *self.entries))


class Gen:
    """Builds one program from ``seed``; ``ub`` is the chance that a division or shift is left unguarded (then
    gcc with -fsanitize decides whether it is undefined)."""

    def __init__(self, seed: int, ub: float = 0.0) -> None:
        self.rnd = random.Random(seed)
        self.ub = ub
        self.vars: list[tuple[str, str]] = []  # (name, type) in scope, integers only
        self.counters: list[str] = []  # loop counters: read, never written (every loop ends)
        self.u32s: list[str] = []
        self.s64s: list[str] = []
        self.helpers: list[tuple[str, int]] = []  # pure helpers: name, arity
        self.depth = 0
        self.loops = 0
        self.label = 0
        self.in_helper = False

    # expressions
    def literal(self) -> E:
        r = self.rnd
        v = r.choice([0, 1, 2, 3, 7, 8, 15, 16, 31, 32, 63, 100, 127, 128, 255, 256, 0x7F, 0x7FFF, 0xFFFF,
                      0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0x100000000, 0x7FFFFFFFFFFFFFFF,
                      0x8000000000000000, 0xFFFFFFFFFFFFFFFF, r.getrandbits(r.choice([4, 8, 16, 32, 64]))])
        suffix = r.choice(LITERAL_SUFFIXES)
        base = r.random()
        text = (hex(v) if base < 0.45 or v > 0xFFFFFFFF else oct(v).replace("0o", "0") if base < 0.55
                else bin(v).replace("0b", "0b") if base < 0.6 else str(v)) + suffix
        if v > 0x7FFFFFFFFFFFFFFF and text[:2] != "0x" and "u" not in suffix.lower():
            text = hex(v) + suffix  # a decimal constant of no type (gcc: "integer constant is so large")
        if r.random() < 0.15 and v <= 0x7FFFFFFF:
            return E("(-" + text + ")")
        if r.random() < 0.05:
            return E(r.choice(["'a'", "'\\n'", "'\\xff'", "CD_BUSY", "CD_NEG", "CD_F2", "true", "false"]))
        return E(text)

    def leaf(self) -> E:
        r = self.rnd
        k = r.random()
        if k < 0.3:
            return self.literal()
        if self.counters and k < 0.4:
            return E(r.choice(self.counters))
        if (k < 0.75 or self.in_helper) and self.vars:
            return E(r.choice(self.vars)[0])
        return E(r.choice(["r", "fn", "args->rcx", "args->rdx", "st.a", "st.b", "st.c", "st.d", "st.e", "st2.b",
                           "st2.d", "un.lo", "un.sb", "un.full", "un.w", "arr[1]", "arr[3]", "sarr[0]", "sarr[2]",
                           "cd_g32", "cd_g8", "cd_g64", "cd_gint", "mode"]))

    def cast_type(self) -> str:
        return self.rnd.choice((*INT_TYPES, "bool", "enum cd_mode", "enum cd_flag"))

    def expr(self, depth: int = 0) -> E:
        r = self.rnd
        if depth >= 3 or r.random() < 0.25 + 0.15 * depth:
            return self.leaf()
        k = r.random()
        a = self.expr(depth + 1)
        if k < 0.35:
            op = r.choice(["+", "-", "*", "&", "|", "^", "==", "!=", "<", ">", "<=", ">=", "&&", "||"])
            return E("({} " + op + " {})", [a, self.expr(depth + 1)])
        if k < 0.45:
            return self.division(a, self.expr(depth + 1))
        if k < 0.55:
            return self.shift(a, self.expr(depth + 1))
        if k < 0.63:
            return E("(" + r.choice(["-", "~", "!", "+"]) + "{})", [a])
        if k < 0.73:
            return E("((" + self.cast_type() + "){})", [a])
        if k < 0.79:
            return E("({} ? {} : {})", [a, self.expr(depth + 1), self.expr(depth + 1)])
        if k < 0.81:
            return E("({} ?: {})", [a, self.expr(depth + 1)])
        if k < 0.88:
            return self.kernel_macro(a, depth)
        if k < 0.9:
            return self.builtin(a, depth)
        if k < 0.94 and self.helpers:
            name, arity = r.choice(self.helpers)
            return E(name + "(" + ", ".join(["{}"] * arity) + ")",
                     [a, *(self.expr(depth + 1) for _ in range(arity - 1))])
        return E("sizeof({})", [a], False) if r.random() < 0.3 else E("(({}), {})", [a, self.expr(depth + 1)])

    def builtin(self, a: E, depth: int) -> E:
        r = self.rnd
        name = r.choice(["__builtin_popcount", "__builtin_popcountll", "__builtin_parityll", "__builtin_ffsll",
                         "__builtin_bswap16", "__builtin_bswap32", "__builtin_bswap64", "__builtin_clzll",
                         "__builtin_ctz", "hweight32", "hweight64", "__builtin_expect", "sizeof", "typeof",
                         "overflow"])
        if name in ("__builtin_clzll", "__builtin_ctz"):  # of 0: undefined (unless the chance says)
            guard = "" if r.random() < self.ub else " | 1"
            return E(name + "((u64)({})" + guard + ")", [a])
        if name == "__builtin_expect":
            return E("__builtin_expect({}, 1)", [a])
        if name == "sizeof":
            return E("sizeof(({} ? {} : {}))", [a, self.expr(depth + 1), self.expr(depth + 1)], False)
        if name == "typeof":
            return E("((typeof({})){})", [self.expr(depth + 1), a])
        if name == "overflow":
            t = r.choice(["u8", "s8", "u32", "int", "u64", "s64"])
            op = r.choice(["add", "sub", "mul"])
            return E("({{ " + t + " __o; __builtin_" + op + "_overflow({}, {}, &__o) * 1000 + __o; }})",
                     [a, self.expr(depth + 1)])
        return E(name + "({})", [a])

    def division(self, a: E, b: E) -> E:
        op = self.rnd.choice(["/", "%"])
        if self.rnd.random() < self.ub:
            return E("({} " + op + " {})", [a, b])
        if self.rnd.random() < 0.5:  # unsigned divisor 1..16: no zero, no INT_MIN / -1
            return E("({} " + op + " ((u32)({}) % 15U + 1U))", [a, b])
        return E("((s64)({}) " + op + " ((s64)({}) % 15 + 16))", [a, b])  # 2..30 for a signed one

    def shift(self, a: E, b: E) -> E:
        t = self.rnd.choice(["u8", "s8", "u16", "int", "u32", "s32", "u64", "s64", "long", "unsigned long"])
        width = 64 if INT_TYPES[t][0] == 64 else 32
        op = self.rnd.choice(["<<", ">>"])
        if self.rnd.random() < self.ub:
            return E("((" + t + ")({}) " + op + " {})", [a, b])
        return E("((" + t + ")({}) " + op + " ((unsigned int)({}) & " + str(width - 1) + "))", [a, b])

    def kernel_macro(self, a: E, depth: int) -> E:
        r = self.rnd
        h = r.randrange(0, 64)
        lo = r.randrange(0, h + 1)
        t = r.choice(["int", "u32", "u64", "s64", "u8", "long"])
        choices = [
            E("BIT_ULL(((unsigned int)({}) & 63))", [a]),
            E("BIT(" + str(r.randrange(64)) + ")"),
            E(f"GENMASK_ULL({h}, {lo})"),
            E(f"GENMASK({min(h, 31)}, {min(lo, 31)})"),
            E(f"FIELD_GET(GENMASK_ULL({h}, {lo}), (u64)({{}}))", [a]),
            E(f"FIELD_PREP(GENMASK_ULL({h}, {lo}), (u64)({{}}))", [a]),
            E(f"min(({t})({{}}), ({t})({{}}))", [a, self.expr(depth + 1)]),
            E(f"max(({t})({{}}), ({t})({{}}))", [a, self.expr(depth + 1)]),
            E(f"min_t({t}, {{}}, {{}})", [a, self.expr(depth + 1)]),
            E(f"max_t({t}, {{}}, {{}})", [a, self.expr(depth + 1)]),
            E(f"clamp(({t})({{}}), ({t}){lo}, ({t}){h})", [a]),
            E(f"clamp_t({t}, {{}}, {lo}, {h})", [a]),
            E("WARN_ON_ONCE({})", [a]),
        ]
        return r.choice(choices)

    # statements
    def assignable(self) -> tuple[str, str]:
        r = self.rnd
        if r.random() < 0.8 and self.vars:
            return r.choice(self.vars)
        return r.choice([("st.a", "u8"), ("st.b", "s16"), ("st.c", "u32"), ("st.d", "u64"), ("st.e", "bool"),
                         ("un.lo", "u32"), ("un.sb", "s8"), ("un.w", "u16"), ("arr[0]", "u32"), ("arr[2]", "u32"),
                         ("sarr[1]", "s16"), ("args->rcx", "u64"), *GLOBALS])

    def simple(self) -> Stmt:
        r = self.rnd
        name, t = self.assignable()
        k = r.random()
        if k < 0.3:
            return Stmt([name + " = ", self.expr(), ";"])
        if k < 0.55:
            op = r.choice(["+=", "-=", "*=", "&=", "|=", "^="])
            return Stmt([name + f" {op} ", self.expr(), ";"])
        if k < 0.62 and t != "bool":
            if r.random() < self.ub:
                return Stmt([name + " " + r.choice(["/=", "%="]) + " ", self.expr(), ";"])
            return Stmt([name + " " + r.choice(["/=", "%="]) + " (u32)(", self.expr(), ") % 7U + 1U;"])
        if k < 0.69 and t != "bool":
            width = 64 if INT_TYPES.get(t, (32, True))[0] == 64 else 32
            return Stmt([name + " " + r.choice(["<<=", ">>="]) + " (unsigned int)(", self.expr(),
                         f") & {width - 1};"])
        if k < 0.75:
            return Stmt([name + r.choice(["++", "--"]) + ";"]) if r.random() < 0.5 else \
                Stmt([r.choice(["++", "--"]) + name + ";"])
        if k < 0.80 and self.u32s:
            return Stmt(["cd_bump(&" + r.choice(self.u32s) + ", ", self.expr(), ");"])
        if k < 0.84 and self.s64s:
            return Stmt(["cd_sadd(&" + r.choice(self.s64s) + ", ", self.expr(), ");"])
        if k < 0.86:
            return Stmt([r.choice(["cd_fill(&st, ", "cd_fill(&st2, ", "cd_bump(&st.c, ", "cd_bump(&arr[2], ",
                                   "st2 = st; cd_fill(&st2, ", "st = st2; cd_bump(&arr[0], "]), self.expr(), ");"])
        if k < 0.87:
            return Stmt([r.choice(["pr_err_once", "pr_info_ratelimited", "pr_warn_once"]) + '("cd once %d\\n", (int)(',
                         self.expr(), "));"])
        if k < 0.90:
            return Stmt(["WARN_ON_ONCE(", self.expr(), ");"])
        if k < 0.95:
            return self.printk()
        return Stmt(["args->rcx = ", self.expr(), "; r ^= __seamcall(fn + ", self.literal(), ", args);"])

    def printk(self) -> Stmt:
        r = self.rnd
        convs = [("%d", "int"), ("%u", "unsigned int"), ("%x", "unsigned int"), ("%llx", "unsigned long long"),
                 ("%#llx", "unsigned long long"), ("%016llx", "unsigned long long"), ("%lld", "long long"),
                 ("%5d", "int"), ("%-4u|", "unsigned int"), ("%08x", "unsigned int"), ("%#x", "unsigned int"),
                 ("%hhd", "int"), ("%hx", "unsigned int"), ("%lu", "unsigned long"), ("%#016llx", "unsigned long long"),
                 ("%s", ""), ("%+d", "int"), ("% d", "int"), ("%.3d", "int"), ("%o", "unsigned int"),
                 ("%#o", "unsigned int"), ("%llu", "unsigned long long"), ("%hhu", "unsigned int"),
                 ("%X", "unsigned int"), ("%-8llx|", "unsigned long long"),
                 ("%ld", "long"), ("%zu", "size_t"), ("%c", "char"), ("%i", "int"), ("%#X", "unsigned int")]
        picked = [r.choice(convs) for _ in range(r.randrange(1, 4))]
        fmt = " ".join(f"{c}" for c, _ in picked)
        parts: list[Part] = [r.choice(["pr_err(", "pr_info(", "pr_warn(", "printk(KERN_ERR ", "pr_notice("]),
                             f'"cd {self.label}: {fmt}\\n"']
        self.label += 1
        for _, t in picked:
            if t:
                parts += [f", ({t})(", self.expr(), ")"]
            else:
                parts += [", ", E('({} ? "yes" : "no")', [self.expr()]) if r.random() < 0.5
                          else E(r.choice(['"abc"', '"x y"', '""']))]
        return Stmt([*parts, ");"])

    def block(self, n: int) -> Block:
        self.depth += 1
        out = Block([self.stmt() for _ in range(n)])
        self.depth -= 1
        return out

    def stmt(self) -> Stmt:
        r = self.rnd
        k = r.random()
        if self.depth >= 3 or k < 0.55:
            if self.loops and r.random() < 0.08:
                return Stmt([r.choice(["if (", "if (!"]), self.expr(), ") " + r.choice(["break;", "continue;"])])
            if r.random() < 0.05:
                return Stmt(["if (", self.expr(), ") goto out;"])
            return self.simple()
        if k < 0.7:
            then = self.block(r.randrange(1, 3))
            if r.random() < 0.5:
                return Stmt(["if (", self.expr(), ") ", then])
            return Stmt(["if (", self.expr(), ") ", then, " else ", self.block(r.randrange(1, 3))])
        if k < 0.85:
            return self.loop()
        return self.switch()

    def loop(self) -> Stmt:
        r = self.rnd
        i = f"i{self.label}"
        self.label += 1
        n = r.randrange(1, 5)
        self.loops += 1
        kind = r.random()
        if kind < 0.5:
            self.counters.append(i)
            body = self.block(r.randrange(1, 4))
            self.counters.pop()
            head: list[Part] = [f"for (int {i} = 0; {i} < {n}; {i}++) ", body]
        elif kind < 0.75:
            body = self.block(r.randrange(1, 4))
            head = [f"for (int {i} = {n}; {i}-- > 0;) ", body]
        else:
            body = self.block(r.randrange(1, 4))
            head = [f"for (int {i} = 0; ; ) {{ int {i}x = {i}++; if ({i}x >= {n}) break; do ", body,
                    " while (0); }"] if r.random() < 0.3 else \
                [f"{{ int {i} = {n}; do ", body, f" while (--{i} > 0); }}"]
        self.loops -= 1
        return Stmt(head)

    def switch(self) -> Stmt:
        r = self.rnd
        parts: list[Part] = ["switch ((", self.expr(), ") & 7) {\n"]
        labels = r.sample(range(8), r.randrange(1, 5))
        for j, lab in enumerate(sorted(labels)):
            label = f"case {lab}:" if r.random() < 0.8 else f"case {lab} ... {lab}:"
            body = self.block(r.randrange(0, 3))
            end = r.choice(["break;", "fallthrough;", ""]) if j < len(labels) - 1 else "break;"
            parts += [label + " ", body, " " + end + "\n"]
        if r.random() < 0.6:
            parts += ["default: ", self.block(r.randrange(0, 2)), " break;\n"]
        return Stmt([*parts, "}"])

    def function(self, name: str, n: int) -> Func:
        r = self.rnd
        self.vars, self.u32s, self.s64s, self.label = [], [], [], 0
        decls = [Stmt(["u64 r = __seamcall(fn, args);"], True),
                 Stmt(["struct cd_s st = { .a = 3, .c = (u32)r, .d = ", self.literal(), " };"], True),
                 Stmt(["union cd_u un = { .full = r ^ ", self.literal(), " };"], True),
                 Stmt(["u32 arr[4] = { 1, ", self.literal(), " };"], True),
                 Stmt(["s16 sarr[3] = { -1, ", self.literal(), ", 9 };"], True),
                 Stmt(["enum cd_mode mode = CD_BUSY;"], True),
                 Stmt(["struct cd_s st2 = st;"], True),
                 Stmt(["int tries = 0;"], True),
                 Stmt(["retry: ;"], True),
                 Stmt(["static int calls;"], True), Stmt(["calls++;"], True)]
        for j in range(r.randrange(2, 6)):
            t = r.choice(LOCAL_TYPES)
            v = f"v{j}"
            decls.append(Stmt([f"{t} {v} = ", self.expr(1), ";"], True))
            self.vars.append((v, t))
            if t == "u32":
                self.u32s.append(v)
            if t in ("s64", "long long"):  # a long * is refused (incompatible-pointer-types)
                self.s64s.append(v)
        self.vars.append(("calls", "int"))
        body = self.block(n)
        self.depth = 0
        mix = " ^ ".join(f"(u64){v}" for v, _ in self.vars)
        tail = [Stmt(["if (++tries < 2 && (", self.expr(1), ")) goto retry;"]), Stmt(["out: ;"], True), self.printk(),
                Stmt([f"return ({mix}) + st.c + un.full + arr[1] + mode + sarr[1] + (", self.expr(1), ");"], True)]
        return Func(name, r.choice(RET_TYPES), "u64 fn, struct tdx_module_args *args", decls, body, tail)

    def helper(self, name: str) -> Func:
        self.vars, self.in_helper = [("a", "u64"), ("b", "s32")], True
        ret = self.rnd.choice(["s64", "u32", "int", "u8"])
        f = Func(name, ret, "u64 a, s32 b", [], Block([]), [Stmt(["return ", self.expr(), ";"])])
        self.in_helper = False
        self.helpers.append((name, 2))
        return f


def generate(seed: int, functions: int, ub: float = 0.0, size: int = 4) -> Program:
    """A program of ``functions`` entry points ``cd_f0`` ... (each ``(u64 fn, struct tdx_module_args *args)``)
    and a few pure helpers they call, all decided by ``seed``."""
    g = Gen(seed, ub)
    helpers = [g.helper(f"cd_h{j}") for j in range(3)]
    entries = [g.function(f"cd_f{j}", g.rnd.randrange(2, size + 2)) for j in range(functions)]
    return Program(helpers, entries)
