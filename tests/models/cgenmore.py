"""cgen.py's generator widened to more of what SEAMCALL helpers write, for cdiff (``--generator cgenmore``).

Bit-fields (narrow ones promoting, 40- and 33-bit ones computed in their width), arrays of structs, u8/s8/u16/s16
promotions, mixed-sign comparison and division by negative divisors, shifts up to width-1, casts to bool, ?: of mixed
types, while loops, returns inside loops, goto unwinding through several labels, switch with default in the middle and
negative cases, static locals, enum arithmetic, sizeof of expressions, printk with '*' widths and precisions, %-8s, %%.
"""

from __future__ import annotations

from tests.models.cgen import GLOBALS, PRELUDE, Block, E, Func, Gen, Part, Program, Stmt

EXTRA = """\
struct cd_bf { u32 valid : 1; u32 cls : 7; s32 delta : 5; u16 w : 9; u64 pa : 40; u8 flag : 1; s64 big : 33; };
enum cd_step { CD_S0, CD_S1, CD_S2, CD_S3, CD_SMAX = CD_S3 };
static struct cd_s cd_gsa[2] = { { .a = 1, .c = 7 }, { .b = -2, .d = 9 } };

static int cd_first(const struct cd_s *sa, int n, u32 want)
{
	for (int i = 0; i < n; i++) {
		if (sa[i].c == want)
			return i;
		if (sa[i].a > 200)
			break;
	}
	return -1;
}

static int cd_unwind(u64 v, int fail)
{
	int ret = 0;
	u32 x = v;

	if (fail == 1) {
		ret = -5;
		goto err_a;
	}
	x += 3;
	if (fail == 2) {
		ret = -12;
		goto err_b;
	}
	x ^= 0x55;
	if (fail == 3) {
		ret = -22;
		goto err_c;
	}
	return (int)(x & 0xffff);
err_c:
	x -= 1;
err_b:
	ret -= x & 7;
err_a:
	return ret;
}

static u8 cd_narrow(u8 a, s8 b, u16 c)
{
	a += b;
	c -= a;
	a <<= 1;
	return a ^ (c >> 3);
}

static u16 cd_seq(void)
{
	static u16 n = 0xfff0;

	n += 3;
	return n;
}
"""
# Bit-fields, each with a type of no more bits for the shift counts cgen.Gen draws: the wide ones do not promote,
# and a shift of bf.pa (40 bits) by 40 is undefined (gcc's -fsanitize=shift-exponent traps on it).
BITFIELDS = (("bf.valid", "u8"), ("bf.cls", "u8"), ("bf.delta", "s8"), ("bf.w", "u16"), ("bf.pa", "u32"),
             ("bf.flag", "u8"), ("bf.big", "s32"))
CONVERSIONS = (("%d", "int"), ("%u", "unsigned int"), ("%x", "unsigned int"), ("%#x", "unsigned int"),
               ("%llx", "unsigned long long"), ("%#016llx", "unsigned long long"), ("%016llx", "unsigned long long"),
               ("%-8s|", "s"), ("%c", "char"), ("%%", ""), ("%*d|", "int"), ("%-*u|", "unsigned int"), ("%.*s|", "s"),
               ("%*.*s|", "s"), ("%0*x", "unsigned int"), ("%8s|", "s"), ("%.3s|", "s"), ("%-*s|", "s"),
               ("%#*llx", "unsigned long long"), ("%5.3d", "int"))
MEMBERS = (("a", "u8"), ("b", "s16"), ("c", "u32"), ("d", "u64"), ("e", "bool"))


class BitField(E):
    """A bit-field leaf: never the operand of sizeof or typeof (gcc's build failure, which would fail most of them)."""


def unbare(e: E) -> E:
    """``e`` with a bit-field that sizeof() or typeof() would take alone made an expression (unary +)."""
    if "sizeof({})" in e.fmt or "typeof({})" in e.fmt:
        e.kids = [E("(+{})", [k]) if isinstance(k, BitField) else k for k in e.kids]
    return e


class ProgramMore(Program):
    def render(self) -> str:
        return PRELUDE + EXTRA + "".join("\n" + f.render() for f in (*self.helpers, *self.entries))


class GenMore(Gen):
    """cgen.Gen with the constructs above mixed in; every division, shift and index stays defined."""

    def index(self) -> str:
        if self.counters and self.rnd.random() < 0.4:
            return f"{self.rnd.choice(self.counters)} % 3"
        return str(self.rnd.randrange(3))

    def leaf(self) -> E:
        r = self.rnd
        if self.in_helper or r.random() < 0.6:
            return super().leaf()
        k = r.random()
        if k < 0.35:
            return BitField(r.choice(BITFIELDS)[0])
        if k < 0.6:
            return E(f"sa[{self.index()}].{r.choice(MEMBERS)[0]}")
        if k < 0.7:
            return E(f"cd_gsa[{r.randrange(2)}].{r.choice(MEMBERS)[0]}")
        if k < 0.8:
            return E(r.choice(["(step + 1)", "(CD_SMAX - step)", "(step * CD_S2)", "(enum cd_step)(step ^ 1)",
                               "(CD_BUSY + step)", "(mode - CD_NEG)"]))
        if k < 0.9:
            return E(r.choice(["sl8", "sl16", "ARRAY_SIZE(sa)", "sizeof(sa[0])", "sizeof(sa)", "sizeof(bf)"]))
        return E(r.choice(["sizeof(bf.cls + 0)", "sizeof(bf.pa + 1)", "sizeof(bf.big * 2)", "sizeof((u8)1 + (u8)1)",
                           "sizeof(sa[1].a << 1)", "sizeof(step)", "sizeof(-(u16)3)", "sizeof(1 ? (s8)1 : (u16)2)",
                           "sizeof(bf.w ? 1U : 2LL)"]), shrink=False)

    def expr(self, depth: int = 0) -> E:
        return unbare(self.wider(depth))

    def wider(self, depth: int) -> E:
        r = self.rnd
        if depth >= 3 or self.in_helper or r.random() < 0.7:
            return super().expr(depth)
        a, b = self.expr(depth + 1), self.expr(depth + 1)
        k = r.random()
        if k < 0.2:
            return self.mixed_division(a, b)
        if k < 0.35:
            ta, tb = r.choice([("s8", "u8"), ("int", "u32"), ("s64", "u32"), ("long", "unsigned int"), ("s16", "u16"),
                               ("int", "u64"), ("s32", "unsigned long"), ("u8", "s16")])
            op = r.choice(["<", ">", "<=", ">=", "==", "!="])
            return E(f"(({ta})({{}}) {op} ({tb})({{}}))", [a, b])
        if k < 0.45:
            t, width = r.choice([("u8", 32), ("s8", 32), ("u16", 32), ("s16", 32), ("bool", 32), ("u32", 32),
                                 ("s64", 64)])
            op = r.choice(["<<", ">>"])
            return E(f"(({t})({{}}) {op} ((u32)({{}}) % {width}))", [a, b])
        if k < 0.55:
            return E(r.choice(["((bool)({}) + (bool)({}))", "(!!({}) << (bool)({}))", "((bool)(({}) & ({})))",
                               "((bool)({}) - (bool)({}))"]), [a, b])
        if k < 0.7:
            ta, tb = r.choice([("s8", "u32"), ("u8", "s16"), ("int", "u64"), ("bool", "s64"), ("s16", "u16"),
                               ("enum cd_step", "s8"), ("long", "unsigned int")])
            return E(f"(({{}}) ? ({ta})({{}}) : ({tb})({{}}))", [a, b, self.expr(depth + 1)])
        if k < 0.8:
            return E(r.choice(["cd_narrow({}, {}, 300)", "cd_narrow(({}) >> 2, -({}), 7)",
                               "cd_unwind({}, (u32)({}) % 4)", "cd_first(sa, 3, {} + ({}))"]), [a, b])
        if k < 0.9:
            return E(r.choice(["((enum cd_step)((u32)({}) % 4) - (enum cd_step)((u32)({}) % 4))",
                               "(CD_S3 + ({}) * ({}))", "((({}) + ({})) & CD_SMAX)"]), [a, b])
        return E(r.choice(["(sizeof({}) + sizeof({}))", "(sizeof(({}) ? ({}) : 0) * 3)"]), [a, b], False)

    def mixed_division(self, a: E, b: E) -> E:
        # Divisors that are never 0 and never -1 (INT_MIN / -1): negative ones, in int and in unsigned types.
        op = self.rnd.choice(["/", "%"])
        return self.rnd.choice([
            E(f"((s64)({{}}) {op} ((s64)({{}}) % 15 - 16))", [a, b]),
            E(f"((int)({{}}) {op} ((int)({{}}) % 7 + 8))", [a, b]),
            E(f"((int)({{}}) {op} ((int)({{}}) % 7 - 8))", [a, b]),
            E(f"((s8)({{}}) {op} ((s8)({{}}) % 5 - 6))", [a, b]),
            E(f"((u32)({{}}) {op} ((int)({{}}) % 7 + 8))", [a, b]),
            E(f"((u64)({{}}) {op} ((s32)({{}}) % 7 - 8))", [a, b]),
            E(f"((u16)({{}}) {op} ((s16)({{}}) % 7 - 8))", [a, b]),
            E(f"((s16)({{}}) {op} ((u8)({{}}) | 1))", [a, b]),
        ])

    def assignable(self) -> tuple[str, str]:
        r = self.rnd
        k = r.random()
        if k < 0.2:
            return r.choice(BITFIELDS)
        if k < 0.35:
            m, t = r.choice(MEMBERS)
            return f"sa[{self.index()}].{m}", t
        if k < 0.4:
            return r.choice([("step", "enum cd_step"), ("sl8", "u8"), ("sl16", "s16"), ("cd_gsa[1].b", "s16")])
        return super().assignable()

    def simple(self) -> Stmt:
        r = self.rnd
        k = r.random()
        if k < 0.08:
            name, t = self.assignable()
            if t != "bool":
                width = 64 if t in ("u64", "s64") else 32
                return Stmt([name + " " + r.choice(["<<=", ">>="]) + " (u32)(", self.expr(), f") % {width};"])
        if k < 0.12:
            return Stmt([r.choice(["sa[1] = sa[0]; ", "sa[2] = cd_gsa[0]; ", "cd_gsa[0] = sa[1]; "]), "cd_fill(&sa[",
                         self.index(), "], ", self.expr(), ");"])
        if k < 0.15 and self.vars:  # a plain local: cd_seq() stores, and memory it might reach would be refused
            name, t = r.choice(self.vars)
            if t != "bool":
                return Stmt([name + " += cd_seq();"])
        return super().simple()

    def printk(self) -> Stmt:
        r = self.rnd
        if r.random() < 0.4:
            return super().printk()
        picked = [r.choice(CONVERSIONS) for _ in range(r.randrange(1, 4))]
        parts: list[Part] = [r.choice(["pr_err(", "pr_info(", "printk(KERN_ERR "]),
                             f'"cd {self.label}: {" ".join(c for c, _ in picked)}\\n"']
        self.label += 1
        for conv, t in picked:
            for _ in range(conv.count("*")):  # a width of -10..10 (negative: '-'), a precision of 0..8
                parts += [", (int)((u32)(", self.expr(), ") % 21) - 10" if r.random() < 0.5 else ") % 9)"]
            if t == "s":
                parts += [", ", E(r.choice(['"abc"', '"P-SEAMLDR"', '""', '"x y"']))]
            elif t:
                parts += [f", ({t})(", self.expr(), ")"]
        return Stmt([*parts, ");"])

    def stmt(self) -> Stmt:
        r = self.rnd
        k = r.random()
        if k < 0.06 and self.loops:
            return Stmt(["if (", self.expr(), ") return ", self.expr(), ";"])
        if k < 0.1:
            return Stmt(["if (", self.expr(), f") goto err_{r.choice('abc')};"])
        if k < 0.16 and self.depth < 3:
            return self.while_loop()
        if k < 0.24 and self.depth < 3:
            return self.mid_switch()
        if k < 0.28 and self.depth < 3:
            return self.walk()
        return super().stmt()

    def walk(self) -> Stmt:
        """A pointer walking the array of structs (p < end, p - sa, &sa[3]), its size from its own declaration."""
        p = f"p{self.label}"
        self.label += 1
        name, t = self.rnd.choice(self.vars) if self.vars else ("cd_g32", "u32")
        start = self.rnd.choice(["sa", "&sa[1]", "sa + 2", "&sa[0]"])
        op = "+=" if t == "bool" else self.rnd.choice(["+=", "^=", "-="])
        end = self.rnd.choice(["sa + ARRAY_SIZE(sa)", "&sa[3]", "&sa[ARRAY_SIZE(sa)]"])  # one past the end
        return Stmt([f"{{ struct cd_s *{p} = {start}; u32 n{p} = sizeof(*{p}) + sizeof(n{p}); "
                     f"while ({p} < {end}) {{ {p}->c += n{p}++ ^ (", self.expr(),
                     f"); {p}++; }} {name} {op} ({p} - sa) + n{p} + ({p} > &sa[1]); }}"])

    def while_loop(self) -> Stmt:
        w = f"w{self.label}"
        self.label += 1
        self.loops += 1
        body = self.block(self.rnd.randrange(1, 4))
        self.loops -= 1
        if self.rnd.random() < 0.5:
            return Stmt([f"{{ int {w} = {self.rnd.randrange(1, 5)}; while ({w}-- > 0) ", body, " }"])
        return Stmt([f"{{ u8 {w} = 250; while (1) {{ if (++{w} == 0) break; if ({w} & 1) continue; ", body, " } }"])

    def mid_switch(self) -> Stmt:
        r = self.rnd
        parts: list[Part] = ["switch (", r.choice(["(s8)", "(u8)", "(enum cd_step)", "(int)"]), "(", self.expr(),
                             ") % 4) {\n"]
        labels = sorted(r.sample(range(-3, 4), r.randrange(1, 5)))
        at = r.randrange(len(labels) + 1)
        for j, lab in enumerate(labels):
            if j == at:
                parts += ["default: ", self.block(r.randrange(0, 2)), " " + r.choice(["fallthrough;", "break;"]) + "\n"]
            last = j == len(labels) - 1 and at < len(labels)
            end = "break;" if last else r.choice(["break;", "fallthrough;"])
            parts += [f"case {lab}: ", self.block(r.randrange(0, 3)), " " + end + "\n"]
        if at == len(labels):
            parts += ["default: ", self.block(r.randrange(0, 2)), "\n"]
        return Stmt([*parts, "}"])

    def function(self, name: str, n: int) -> Func:
        f = super().function(name, n)
        decls = [Stmt(["struct cd_bf bf = { .valid = 1, .cls = 0x55, .delta = -3, .w = 0x1ff, .pa = (u64)r, .big = ",
                       self.literal(), " };"], True),
                 Stmt(["struct cd_s sa[3] = { { .a = 2, .c = (u32)r }, [2] = { .b = -9, .d = ", self.literal(),
                       " } };"], True),
                 Stmt(["enum cd_step step = CD_S1;"], True),
                 Stmt(["static u8 sl8;"], True), Stmt(["static s16 sl16 = -100;"], True)]
        # The body again, drawn with the new names in scope; the unwinding labels before out:, which mixes the new
        # objects into a global (the outcome's state).
        self.vars += [("step", "enum cd_step")]
        body = self.block(n)
        self.depth = 0
        out = next(j for j, st in enumerate(f.tail) if st.parts == ["out: ;"])
        unwind = [Stmt(["err_c: bf.cls++;"], True), Stmt(["err_b: sa[1].c ^= ", self.literal(), ";"], True),
                  Stmt(["err_a: cd_g32 += bf.delta;"], True)]
        mix = Stmt(["cd_g64 ^= bf.pa ^ bf.big ^ bf.w ^ sa[0].c ^ sa[1].d ^ sa[2].b ^ step;"], True)
        retry = next(j for j, st in enumerate(f.decls) if st.parts == ["retry: ;"])
        return Func(f.name, f.ret, f.params, [*f.decls[:retry], *decls, *f.decls[retry:]],
                    Block([*f.body.stmts, *body.stmts]), [*f.tail[:out], *unwind, f.tail[out], mix, *f.tail[out + 1:]])


def generate(seed: int, functions: int, ub: float = 0.0, size: int = 4) -> Program:
    """As cgen.generate, with the wider generator; the same seed gives the same program."""
    g = GenMore(seed, ub)
    helpers = [g.helper(f"cd_h{j}") for j in range(3)]
    entries = [g.function(f"cd_f{j}", g.rnd.randrange(2, size + 2)) for j in range(functions)]
    return ProgramMore(helpers, entries)


__all__ = ["GLOBALS", "GenMore", "ProgramMore", "generate"]
