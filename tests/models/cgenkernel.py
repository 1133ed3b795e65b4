"""Generated kernel idioms beyond the SEAMCALL helpers, for cdiff (``--generator cgenkernel``).

Each entry point takes one SEAMCALL's answer and mixes into one u64 what a run of random pieces computes: memset()
and memcpy() of a union's array members and between structs, a union and arrays (whole elements, any fill byte),
function pointers declared by ``typeof(func) *``, calls of helpers counting in statics of their own beside reads of
globals, switch with case ranges and fallthrough, goto error paths, ternaries of mixed signedness (their values, their
sizeof), do { } while (0) macros with __builtin_expect(), DEFINE_FREE()/__free() cleanups, guard(preempt) and
scoped_guard(irqsave), printk's %*ph of a buffer and of u16/u32/u64 arrays by name, memset()/memcpy() of part of a
struct (offsetof()/sizeof() of members), try_cmpxchg() loops, cmpxchg() and this_cpu_try_cmpxchg(), cond_resched() and
might_resched() (in a guard(preempt) too: the sleeping-in-atomic report), a DEFINE_RATELIMIT_STATE() consulted with
__ratelimit() and pr_err_ratelimited(). Nothing undefined: every byte read was written.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

KERNEL_PRELUDE = """\
union kg_regs { u64 regs[4]; struct { u64 rcx, rdx, r8, r9; }; u32 half[8]; u16 w[16]; u8 bytes[32]; s8 sb[32]; };
struct kg_four { u64 a, b, c, d; };
struct kg_mixed { u32 lo; u16 cls; u8 sub, flags; u64 word; };
struct kg_obj { int n; u64 v; };
struct kg_pad { u8 tag; u32 id; u16 cls; u64 word; };
static int kg_g = 3;
static u32 kg_g32 = 0x80000001;
static int kg_freed;
static u64 kg_seq;
static DEFINE_PER_CPU(u32, kg_pc);
static DEFINE_RATELIMIT_STATE(kg_rs, 5 * HZ, 2);

static u64 kh_twice(u64 x) { return x * 2 + 1; }
static u64 kh_thrice(u64 x) { return x * 3 + 7; }

static int kh_next(void)
{
	static int count;

	count++;
	return count;
}

static u32 kh_acc(u32 v)
{
	static u32 total;

	total += v;
	return total;
}

static struct kg_obj *kh_get(u64 x)
{
	static struct kg_obj pool;

	if ((x & 7) == 3)
		return NULL;
	pool.n++;
	pool.v = x;
	return &pool;
}

DEFINE_FREE(kg_put, struct kg_obj *, if (_T) kg_freed += _T->n)

static int kh_steps(u64 err)
{
	int ret = -EIO;

	if (__builtin_expect(err == 0, 1))
		goto out;
	if (err & 1)
		goto err_one;
	if (unlikely(err & 2))
		goto err_two;
	return 0;
err_two:
	ret -= 100;
err_one:
	ret -= 10;
out:
	return ret;
}

#define KG_MIX(v, k) do { if (__builtin_expect(!!((v) & (k)), 0)) r += (k); else r ^= (k); } while (0)
"""

# (array member, element type's size, elements)
ARRAYS = (("regs", 8, 4), ("half", 4, 8), ("w", 2, 16), ("bytes", 1, 32), ("sb", 1, 32))
READS = ("u.regs[{i4}]", "u.rcx", "u.rdx", "u.r8", "u.r9", "u.half[{i8}]", "u.w[{i16}]", "u.bytes[{i32}]",
         "u.sb[{i32}]")
TERNARY = ("({c} ? (int){n} : (unsigned int){u})", "({c} ? (s64){n} : (u32){u})", "({c} ? (s8){n} : (u16){u})",
           "({c} ? -1 : {u}U)", "({c} ? (long){n} : (unsigned long){u})", "({c} ? (s16){n} : (u8){u})",
           "({c} ? (s32){n} : (u64){u})", "({c} ? (char){n} : (s8){u})")


@dataclass
class KFunc:
    name: str
    text: str

    def render(self) -> str:
        return self.text


@dataclass
class ProgramKernel:
    helpers: list[KFunc]
    entries: list[KFunc]

    def render(self) -> str:
        return KERNEL_PRELUDE + "".join("\n" + f.render() for f in self.entries)


class GenKernel:
    """One program from ``seed``: entry points of random pieces (the same seed gives the same program)."""

    def __init__(self, seed: int) -> None:
        self.rnd = random.Random(seed)
        self.label = 0

    def idx(self, text: str) -> str:
        r = self.rnd
        return text.format(i4=r.randrange(4), i8=r.randrange(8), i16=r.randrange(16), i32=r.randrange(32),
                           c=r.randrange(4))

    def byte(self) -> int:
        return self.rnd.choice([0, 0, 0xff, 0x80, 0x7f, self.rnd.randrange(256)])

    def cond(self) -> str:
        r = self.rnd
        return r.choice([f"(x & {1 << r.randrange(8)})", f"((r >> {r.randrange(60)}) & 1)", "(x == 0)",
                         f"((s64)r < {r.randrange(-5, 5)})"])

    def union_memset(self) -> str:
        r = self.rnd
        name = r.choice(ARRAYS)[0]
        out = f"{{ union kg_regs u; memset(u.{name}, {self.byte():#x}, sizeof(u.{name}));"
        for _ in range(r.randrange(0, 3)):
            k = r.random()
            name2, size2, n2 = r.choice(ARRAYS)
            first = r.randrange(n2)
            count = r.randrange(0, n2 - first + 1)
            if k < 0.4:
                out += f" memset(&u.{name2}[{first}], {self.byte():#x}, {count} * sizeof(u.{name2}[0]));"
            elif k < 0.7:
                out += f" memset(u.{name2} + {first}, {self.byte():#x}, {count * size2});"
            else:
                out += f" u.{name2}[{first}] = x >> {r.randrange(40)};"
        reads = " + ".join(f"(u64){self.idx(r.choice(READS))} * {r.randrange(1, 100)}" for _ in range(3))
        return out + f" r = r * 31 + {reads}; }}"

    def union_memcpy(self) -> str:
        r = self.rnd
        out = ("{ union kg_regs u; struct kg_four s = { x, " + ", ".join(str(r.randrange(1 << 20)) for _ in range(3))
               + " }; struct kg_mixed m = { 1, 2, 3, 4, 5 }; u64 arr[4] = { 6, 7, 8, 9 }; u32 h[4] = { 1, 2, 3, 4 };"
               f" memset(&u, {self.byte():#x}, sizeof(u));")
        steps = ["memcpy(u.regs, &s, sizeof(s));", "memcpy(&s, u.regs, sizeof(u.regs));", "memcpy(&s, &u, sizeof(s));",
                 "memcpy(&m, u.half + {a}, sizeof(m));", "memcpy(u.bytes + {b}, &m, sizeof(m));",
                 "memcpy(arr, u.bytes + {b}, 2 * sizeof(arr[0]));", "memcpy(&arr[{c}], &s.b, sizeof(u64));",
                 "memcpy(h, &m, sizeof(m));", "memcpy(&m, h, sizeof(h));", "memcpy(u.w + {d}, h, sizeof(h));",
                 "memcpy(&arr[1], u.regs + {c}, sizeof(arr[0]));", "memcpy(&u.regs[{c}], &arr[{c}], sizeof(u64));",
                 "u.r8 = x + {d};", "u.half[{e}] ^= (u32)x;", "s.c = x >> {d};"]
        for _ in range(r.randrange(1, 5)):
            out += " " + r.choice(steps).format(a=r.randrange(5), b=r.choice([0, 8, 16]), c=r.randrange(4),
                                                d=r.randrange(9), e=r.randrange(8))
        reads = ["s.a", "s.b", "s.d", "m.lo", "m.cls", "m.sub", "m.word", "arr[{c}]", "h[{c}]", *READS]
        picked = " + ".join(f"(u64){self.idx(r.choice(reads))} * {r.randrange(1, 50)}"
                            for _ in range(3))
        return out + f" r = r * 37 + {picked}; }}"

    def typeof_fp(self) -> str:
        r = self.rnd
        first, second = r.sample(["kh_twice", "kh_thrice"], 2)
        return (f"{{ typeof({first}) *fp = {self.cond()} ? {first} : {second}; typeof(&{second}) gp = {second};"
                f" r = r * 7 + fp(r ^ x); r += (*gp)(x) + (fp == gp) * {r.randrange(1, 9)}; }}")

    def counters(self) -> str:
        r = self.rnd
        return r.choice(["r = r * 5 + kg_g + kh_next();", "r = r * 5 + kh_acc((u32)r) + kh_next();",
                         "r += (u64)kh_next() * 10 + kh_next();", "r = r + kh_next() + kg_g;",
                         "r ^= kg_g32 + kh_acc((u32)x);", "r = r * 3 + (kg_g + kh_next());",
                         "kg_g += kh_next();"])

    def switch(self) -> str:
        r = self.rnd
        a, b, c = sorted(r.sample(range(1, 15), 3))
        return (f"switch ((r >> {r.randrange(60)}) & 15) {{ case 0: r += {r.randrange(99)}; fallthrough; "
                f"case 1 ... {a}: r ^= {r.randrange(1 << 16)}; break; case {a + 1} ... {b}: r += x; "
                f"/* fall through */ case {c}: r *= 3; break; default: r -= {r.randrange(99)}; }}")

    def goto(self) -> str:
        r = self.rnd
        n = self.label
        self.label += 1
        if r.random() < 0.5:
            return "r = r * 11 + (u64)kh_steps(r ^ x);"
        return (f"{{ int ret = 0; if (x & {1 << r.randrange(8)}) goto e1_{n}; if (unlikely(r & "
                f"{1 << r.randrange(8)})) goto e2_{n}; ret = 5; goto done_{n}; e2_{n}: ret -= 7; e1_{n}: ret -= 3; "
                f"done_{n}: r += ret; }}")

    def ternary(self) -> str:
        r = self.rnd
        t = r.choice(TERNARY).format(c=self.cond(), n=r.randrange(-300, 0), u=r.randrange(0, 70000))
        return r.choice([f"r = r * 13 + (u64)({t});", f"r += sizeof({t}) * {r.randrange(1, 9)};",
                         f"r += ({t}) < 0;", f"r ^= (s64)({t}) >> 3;"])

    def macro(self) -> str:
        return f"KG_MIX(x ^ r, {1 << self.rnd.randrange(12)});"

    def cleanup(self) -> str:
        return ("{ struct kg_obj *o __free(kg_put) = kh_get(r ^ x); if (o) r = r * 3 + o->v; } "
                "r += kg_freed;")

    def hexdump(self) -> str:
        """printk's %*ph and its C, D, N forms of a u8 buffer from some element on, the width as many bytes as are
        left or fewer (negative: its sign dropped), or none (one byte)."""
        r = self.rnd
        first = r.randrange(8)
        count = r.randrange(0, 8 - first + 1) * r.choice([1, 1, -1])
        form = r.choice(["", "C", "D", "N"])
        self.label += 1
        width = "%ph" if r.random() < 0.15 else f"%*ph{form}"
        arg = f"hb + {first}" if width == "%ph" else f"{count}, hb + {first}"
        return ("{ u8 hb[8] = { (u8)x, (u8)(x >> 8), (u8)r, " + ", ".join(str(r.randrange(256)) for _ in range(5))
                + f" }}; pr_info(\"kg{self.label} {width}|\\n\", {arg}); r += hb[{r.randrange(8)}]; }}")

    def hexwide(self) -> str:
        """%*ph of a u16, u32 or u64 array passed by name: its bytes in memory order (little-endian), as many as it has
        or fewer."""
        r = self.rnd
        kind, size, n = r.choice([("u16", 2, 8), ("u32", 4, 4), ("u64", 8, 2)])
        self.label += 1
        rest = ", ".join(f"{r.randrange(1 << (8 * size)):#x}" for _ in range(n - 2))
        return (f"{{ {kind} hw[{n}] = {{ ({kind})x, ({kind})(r >> {r.randrange(40)}), {rest} }}; "
                f"pr_info(\"kgw{self.label} %*ph{r.choice(['', 'C', 'D', 'N'])}|\\n\", "
                f"{r.randrange(0, size * n + 1)}, hw); r += hw[{r.randrange(n)}]; }}")

    def struct_parts(self) -> str:
        """memset() and memcpy() of part of a struct: from a member on with offsetof()/sizeof() sizes, a struct with
        offsetof() as the size, between two structs' members and with a byte buffer; kg_pad is filled whole first
        (its padding too), so every byte read was written."""
        r = self.rnd
        f4, mf, pf = r.choice("bcd"), r.choice(["cls", "sub", "flags", "word"]), r.choice(["id", "cls", "word"])
        out = ("{ struct kg_four s = { x, 1, 2, 3 }, t = { 4, x >> 3, 6, 7 }; struct kg_mixed m = { 1, 2, 3, 4, x }, "
               "n = { 9, 8, 7, 6, 5 }; struct kg_pad p; u8 raw[24] = { "
               + ", ".join(str(r.randrange(256)) for _ in range(24)) + f" }}; memset(&p, {self.byte():#x}, sizeof(p));"
               " p.id = (u32)x;")
        steps = [f"memset(&m.cls, {self.byte():#x}, offsetof(struct kg_mixed, word) - offsetof(struct kg_mixed, cls));",
                 f"memset(&m, {self.byte():#x}, offsetof(struct kg_mixed, {mf}));",
                 f"memset(&s.{f4}, {self.byte():#x}, sizeof(s) - offsetof(struct kg_four, {f4}));",
                 f"memcpy(&s.{f4}, &t.{f4}, sizeof(s) - offsetof(struct kg_four, {f4}));",
                 "memcpy(&m.sub, &n.sub, sizeof(m) - offsetof(struct kg_mixed, sub));",
                 f"memcpy(&m.lo, raw + {r.randrange(9)}, {r.randrange(1, 17)});",
                 "memcpy(&s.b, &m, sizeof(m));",
                 f"memcpy(raw, &p.tag, offsetof(struct kg_pad, {pf}));",
                 f"memset(&p.cls, {self.byte():#x}, sizeof(p) - offsetof(struct kg_pad, cls));",
                 f"memcpy(&p.id, raw + {r.randrange(8)}, sizeof(p.id) + sizeof(p.cls));",
                 "memcpy(raw + 4, &s.c, sizeof(s.c) + sizeof(s.d));"]
        for _ in range(r.randrange(1, 4)):
            out += " " + r.choice(steps)
        reads = ["s.a", "s.b", "s.c", "s.d", "m.lo", "m.cls", "m.sub", "m.flags", "m.word", "p.tag", "p.id", "p.cls",
                 "p.word", "raw[{i8}]", "raw[{i16}]"]
        picked = " + ".join(f"(u64){self.idx(r.choice(reads))} * {r.randrange(1, 50)}" for _ in range(3))
        return out + f" r = r * 41 + {picked}; }}"

    def guards(self) -> str:
        return self.rnd.choice(["{ guard(preempt)(); r += preempt_count(); }",
                                "scoped_guard(irqsave) { r ^= irqs_disabled(); }",
                                "scoped_guard(preempt) { r = r * 3 + preempt_count(); }"])

    def cmpxchg(self) -> str:
        """try_cmpxchg() loops on a global, cmpxchg() of a u8 and an s16 cut to their size, this_cpu_try_cmpxchg() of
        a per-CPU u32 that succeeds or fails (the value found written back)."""
        r = self.rnd
        return r.choice([
            f"{{ u64 old = kg_seq; while (!try_cmpxchg(&kg_seq, &old, old + (x & {r.randrange(1, 16)}) + 1)) ; "
            "r = r * 17 + kg_seq + old; }",
            f"{{ u32 o = {r.choice(['(u32)r', '(u32)x', '0', 'this_cpu_read(kg_pc)'])}; "
            f"r += this_cpu_try_cmpxchg(kg_pc, &o, (u32)(x >> {r.randrange(40)})) * 3; r += o; "
            "r ^= this_cpu_read(kg_pc); }",
            f"{{ u8 b = (u8)r; r = r * 5 + cmpxchg(&b, {r.choice(['(u8)r', '(u8)x', str(r.randrange(512))])}, "
            f"x >> {r.randrange(16)}); r += b; }}",
            f"{{ s16 s = (s16)x, e = {r.choice(['(s16)x', '-1', str(r.randrange(-99, 99))])}; "
            f"r += try_cmpxchg(&s, &e, {r.randrange(-70000, 70000)}) * 7; r += s; r ^= e; }}",
        ])

    def sched(self) -> str:
        return self.rnd.choice(["cond_resched();", "might_resched();", "{ cond_resched(); r += preempt_count(); }",
                                "{ guard(preempt)(); cond_resched(); r = r * 3 + preempt_count(); }"])

    def ratelimit(self) -> str:
        r = self.rnd
        self.label += 1
        return r.choice([f"if (__ratelimit(&kg_rs)) r += {r.randrange(1, 99)}; else r ^= {r.randrange(1 << 16)};",
                         f"pr_err_ratelimited(\"kgr{self.label} %llx\\n\", r ^ x);"])

    def entry(self, name: str, pieces: int) -> KFunc:
        kinds = (self.union_memset, self.union_memcpy, self.typeof_fp, self.counters, self.switch, self.goto,
                 self.ternary, self.macro, self.cleanup, self.guards, self.hexdump, self.hexwide, self.struct_parts,
                 self.cmpxchg, self.sched, self.ratelimit)
        body = "".join("\t" + self.rnd.choice(kinds)() + "\n" for _ in range(pieces))
        return KFunc(name, f"static long long {name}(u64 fn, struct tdx_module_args *args)\n{{\n"
                           f"\tu64 x = __seamcall(fn, args);\n\tu64 r = {self.rnd.randrange(1 << 32):#x};\n\n"
                           f"{body}\treturn (long long)r;\n}}\n")


def generate(seed: int, functions: int, ub: float = 0.0, size: int = 6) -> ProgramKernel:
    """``functions`` entry points of 2 to ``size`` + 1 pieces each (``ub`` is not used: nothing is left undefined)."""
    g = GenKernel(seed)
    return ProgramKernel([], [g.entry(f"kg_f{j}", g.rnd.randrange(2, size + 2)) for j in range(functions)])
