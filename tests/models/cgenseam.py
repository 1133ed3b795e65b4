"""cgenmore.py's generator widened to the idioms around SEAMCALL helpers, for cdiff (``--generator cgenseam``).

do/while retry loops on a status with unlikely() and a bounded count, a helper retrying __seamcall_ret() while the
answer says busy, guard() and scoped_guard() of a spinlock and a mutex (a return and a break inside them), per-CPU
variables (this_cpu_read/write/inc/add/add_return, this_cpu_ptr(), __this_cpu_read() under a guard), printk formats
of status words (``%#016llx``, ``0x%016llx``, ``%llu``, ``%lld`` of u64 and s32 values, ``%u`` and ``%x`` of
negative s32 values, ``%hx``, ``%hhu``, ``%lx``), u64/s32/u32 conversions both ways, shifts by width - 1 and
width - 2, BIT_ULL(63), GENMASK_ULL() of the top bits, upper_32_bits() and lower_32_bits() of sign-extended values.
"""

from __future__ import annotations

from tests.models.cgen import PRELUDE, Block, E, Func, Part, Stmt
from tests.models.cgenmore import EXTRA, GenMore, ProgramMore

SEAM_EXTRA = """\
static DEFINE_SPINLOCK(cd_lock);
static DEFINE_MUTEX(cd_mutex);
static DEFINE_PER_CPU(u64, cd_pc64);
static DEFINE_PER_CPU(u32, cd_pc32);
static DEFINE_PER_CPU(s16, cd_pcs);

union cd_st { u64 raw; struct { u32 details; union { u16 cls; u8 b[2]; s16 scls; } c; u8 sub, flags; }; u8 bytes[8]; };

static u64 cd_sc_retry(u64 fn, struct tdx_module_args *args, int tries)
{
	u64 err;

	do {
		err = __seamcall_ret(fn, args);
	} while (unlikely(err == 0x8000000000000010ULL) && --tries > 0);
	return err;
}

static int cd_status(u64 err)
{
	switch (err & 0xffffffff00000000ULL) {
	case 0:
		return 0;
	case 0x8000000000000000ULL:
		return -EBUSY;
	case 0xc000010000000000ULL:
		return -EINVAL;
	default:
		return -EIO;
	}
}

static s32 cd_locked_add(u32 v)
{
	guard(spinlock)(&cd_lock);
	this_cpu_add(cd_pc32, v);
	return (s32)__this_cpu_read(cd_pc32);
}
"""
# Status-word formats: the value's own type, and another of its width (printk reads the bits as the conversion says).
STATUS_FORMATS = (("%#016llx", "u64"), ("0x%016llx", "u64"), ("%llu", "u64"), ("%lld", "u64"), ("%llx", "s64"),
                  ("%#llx", "s64"), ("%llu", "s64"), ("%u", "s32"), ("%x", "s32"), ("%d", "u32"), ("%#010x", "u32"),
                  ("%08x", "s32"), ("%hx", "s32"), ("%hhu", "u32"), ("%lx", "unsigned long"), ("%ld", "s64"),
                  ("%5llu", "u64"), ("%-18llx|", "u64"), ("%.8llx", "u64"), ("%+lld", "s64"))
NEAR_WIDTH = ("((u64)({}) << 63)", "((u64)({}) >> 63)", "((s64)({}) >> 63)", "((u32)({}) << 31)", "((s32)({}) >> 31)",
              "((u64)({}) << 62)", "((u32)({}) >> 30)", "((s64)({}) >> 62)", "(1ULL << ((u32)({}) % 64))",
              "((u64)(s32)({}) >> 32)", "((s32)(u64)({}) << 1)")
CONVERT = ("((u64)(s32)({}))", "((s32)(u64)({}))", "((u32)(s32)({}))", "((s64)(u32)({}))", "((s32)(u32)({}))",
           "((u64)(int)(s8)({}))", "((s32)({}) < 0)", "((u64)({}) > (u64)(s32)-1)", "(upper_32_bits((s64)(s32)({})))",
           "(lower_32_bits((u64)({}) << 16))", "((u32)((u64)({}) >> 32))")
MASKS = ("BIT_ULL(63)", "BIT_ULL(62)", "GENMASK_ULL(63, 32)", "GENMASK_ULL(63, 63)", "GENMASK_ULL(62, 0)",
         "GENMASK_ULL(63, 0)", "GENMASK(31, 31)", "(BIT_ULL(63) | BIT_ULL(0))", "GENMASK_ULL(47, 12)")
PERCPU_READS = ("this_cpu_read(cd_pc64)", "this_cpu_read(cd_pc32)", "this_cpu_read(cd_pcs)", "*this_cpu_ptr(&cd_pc64)",
                "raw_cpu_read(cd_pc32)")
# Calls that change what other leaves read: a statement's right-hand side only (two in one expression, or one beside a
# read of what it changes, is the unsequenced access the mirror refuses, as C leaves its order unspecified).
CHANGING = ("this_cpu_add_return(cd_pc32, ", "this_cpu_inc_return(cd_pcs) + (", "cd_locked_add(",
            "this_cpu_xchg(cd_pc64, ", "cd_sc_retry(fn, args, 3) + (", "cd_status(cd_sc_retry(fn, args, 2)) * (")


# A status word as a union of registers with a union nested in it, read and written through its members and through
# pointers to a nested struct and union (what each reaches takes the union's bytes first: models.unions.holders).
STATUS_READS = ("st3.raw", "st3.details", "st3.c.cls", "st3.c.b[1]", "st3.c.scls", "st3.sub", "st3.flags",
                "st3.bytes[3]", "st3.bytes[6]", "pst->c.b[0]", "pc->scls", "pc->b[1]")
STATUS_WRITES = (("st3.raw", "u64"), ("st3.details", "u32"), ("st3.c.cls", "u16"), ("st3.c.b[1]", "u8"),
                 ("st3.flags", "u8"), ("st3.bytes[5]", "u8"), ("pst->c.scls", "s16"), ("pc->b[0]", "u8"),
                 ("pst->sub", "u8"))


class ProgramSeam(ProgramMore):
    def render(self) -> str:
        return PRELUDE + EXTRA + SEAM_EXTRA + "".join("\n" + f.render() for f in (*self.helpers, *self.entries))


class GenSeam(GenMore):
    """GenMore with the SEAMCALL-helper idioms above; nothing undefined (shifts stay under their width, a signed
    shift left never reaches the sign bit but through -fwrapv's defined wrap)."""

    def leaf(self) -> E:
        r = self.rnd
        if self.in_helper or r.random() < 0.75:
            return super().leaf()
        k = r.random()
        if k < 0.2:
            return E(r.choice(STATUS_READS))
        if k < 0.35:
            return E(r.choice(MASKS))
        if k < 0.7:
            return E(r.choice(PERCPU_READS))
        return E(r.choice(["cd_status(r)", "(int)cd_status(fn ^ r)", "lower_32_bits(r)", "upper_32_bits(r)"]))

    def wider(self, depth: int) -> E:
        r = self.rnd
        if depth >= 3 or self.in_helper or r.random() < 0.75:
            return super().wider(depth)
        a = self.expr(depth + 1)
        k = r.random()
        if k < 0.4:
            return E(r.choice(NEAR_WIDTH), [a])
        if k < 0.8:
            return E(r.choice(CONVERT), [a])
        return E(r.choice(["(({}) & " + m + ")" for m in MASKS] + ["FIELD_GET(GENMASK_ULL(63, 32), (u64)({}))",
                                                                   "((({}) & BIT_ULL(63)) != 0)"]), [a])

    def printk(self) -> Stmt:
        r = self.rnd
        if r.random() < 0.5:
            return super().printk()
        picked = [r.choice(STATUS_FORMATS) for _ in range(r.randrange(1, 4))]
        parts: list[Part] = [r.choice(["pr_err(", "pr_warn(", "pr_info(", "printk(KERN_ERR ", "pr_err_once("]),
                             f'"cd {self.label}: SEAMCALL (0x%016llx) {" ".join(c for c, _ in picked)}\\n", fn']
        self.label += 1
        for _, t in picked:
            parts += [f", ({t})(", self.expr(), ")"]
        return Stmt([*parts, ");"])

    def simple(self) -> Stmt:
        r = self.rnd
        k = r.random()
        if k < 0.06:
            return Stmt([r.choice(["this_cpu_write(cd_pc64, ", "this_cpu_add(cd_pc32, ", "this_cpu_write(cd_pcs, ",
                                   "*this_cpu_ptr(&cd_pc64) ^= (", "this_cpu_sub(cd_pc64, "]), self.expr(), ");"])
        if k < 0.08:
            return Stmt([r.choice(["this_cpu_inc(cd_pc32);", "this_cpu_dec(cd_pcs);", "raw_cpu_inc(cd_pc64);"])])
        if k < 0.14:
            name, t = self.assignable()
            op = "+=" if t == "bool" else r.choice(["=", "^=", "+="])
            return Stmt([f"{name} {op} {r.choice(CHANGING)}", self.pure(), ");"])
        return super().simple()

    def assignable(self) -> tuple[str, str]:
        if not self.in_helper and self.rnd.random() < 0.12:
            return self.rnd.choice(STATUS_WRITES)
        return super().assignable()

    def function(self, name: str, n: int) -> Func:
        f = super().function(name, n)
        retry = next(j for j, st in enumerate(f.decls) if st.parts == ["retry: ;"])
        decls = [Stmt(["union cd_st st3 = { .raw = r ^ ", self.literal(), " };"], True),
                 Stmt(["union cd_st *pst = &st3;"], True), Stmt(["typeof(st3.c) *pc = &pst->c;"], True)]
        mix = Stmt(["cd_g64 ^= st3.raw + pst->c.cls;"], True)
        return Func(f.name, f.ret, f.params, [*f.decls[:retry], *decls, *f.decls[retry:]], f.body, [mix, *f.tail])

    def pure(self) -> E:
        """An expression of locals and constants only: beside a call that changes per-CPU variables or globals."""
        r = self.rnd
        if not self.vars or r.random() < 0.3:
            return self.literal()
        a, b = E(r.choice(self.vars)[0]), E(r.choice(self.vars)[0]) if r.random() < 0.5 else self.literal()
        return E(r.choice(["({} + {})", "({} ^ {})", "(u32)({} - {})", "({} & {})"]), [a, b])

    def stmt(self) -> Stmt:
        r = self.rnd
        k = r.random()
        if k < 0.06 and self.depth < 3:
            return self.retry_loop()
        if k < 0.11 and self.depth < 3:
            return self.guarded()
        return super().stmt()

    def retry_loop(self) -> Stmt:
        """A SEAMCALL retried while busy, at most a few times, the count and status checked after it."""
        w = f"rt{self.label}"
        self.label += 1
        self.loops += 1
        body = self.block(self.rnd.randrange(0, 2))
        self.loops -= 1
        cond = self.rnd.choice(["unlikely(r == 0x8000000000000010ULL)", "unlikely(cd_status(r) == -EBUSY)",
                                "(r & BIT_ULL(63)) && !(r & GENMASK_ULL(62, 32))"])
        name, t = self.rnd.choice(self.vars) if self.vars else ("cd_g32", "u32")
        op = "+=" if t == "bool" else "^="
        return Stmt([f"{{ int {w} = {self.rnd.randrange(1, 4)}; do {{ r = __seamcall_ret(fn, args); ", body,
                     f" }} while ({cond} && --{w} > 0); if (unlikely(!{w})) {name} {op} cd_status(r); }}"])

    def guarded(self) -> Stmt:
        """guard() in a block of its own or scoped_guard(), of the spinlock or the mutex (no SEAMCALL inside a
        spinlock: the kernel's might sleep)."""
        r = self.rnd
        body = self.block(r.randrange(1, 3))
        lock = r.choice(["spinlock, &cd_lock", "mutex, &cd_mutex", "spinlock_irqsave, &cd_lock"])
        cpu = r.choice(["__this_cpu_add(cd_pc64, (u64)(", "__this_cpu_write(cd_pc32, (u32)("])
        inner: list[Part] = [cpu, self.expr(), ")); "]
        if r.random() < 0.5:
            kind, _, obj = lock.partition(", ")
            return Stmt([f"{{ guard({kind})({obj}); ", *inner, body, " }"])
        return Stmt([f"scoped_guard({lock}) {{ ", *inner, body, " }"])


def generate(seed: int, functions: int, ub: float = 0.0, size: int = 4) -> ProgramSeam:
    """As cgenmore.generate, with the SEAMCALL-helper idioms; the same seed gives the same program."""
    g = GenSeam(seed, ub)
    helpers = [g.helper(f"cd_h{j}") for j in range(3)]
    entries = [g.function(f"cd_f{j}", g.rnd.randrange(2, size + 2)) for j in range(functions)]
    return ProgramSeam(helpers, entries)


__all__ = ["Block", "Func", "GenSeam", "ProgramSeam", "generate"]
