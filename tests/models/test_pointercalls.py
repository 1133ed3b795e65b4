"""models.pointercalls: a function an ops table names is a callee only of runs calling alike.

models.pointercalls: a function an ops table names is a callee, through a pointer, only of the runs whose code
calls through a pointer with as many arguments as it takes; what it passes its callees is not the other runs'.
Read through models.leafbits' per-entry facts: the TDX-module entry's runs keep what bit 63 of their leaf fixes."""

from __future__ import annotations

from models.facts import DEAD, fixed_for
from models.loader import EntryPoint, Source
from models.source import code_facts

# sc_retry()-like code shared by two entry points: tdx_call() calls it with its own leaf (and a printer through a
# pointer, three arguments); ldr_call() calls it through ldr_do(), a four-argument function an ops table names,
# with a leaf read from the registers (nothing known of bit 63).
CODE = """\
typedef void (*err_fn_t)(u64 fn, u64 err, struct tdx_module_args *args);
typedef int (*ldr_fn_t)(err_fn_t err, u64 pad, u64 fn, struct tdx_module_args *args);

static void print_err(u64 fn, u64 err, struct tdx_module_args *args)
{
	pr_err("%llx %llx\\n", fn, err);
}

static int retry(err_fn_t err, u64 fn, struct tdx_module_args *args)
{
	u64 busy = 1;
	u64 ret;

	if (fn & BIT_ULL(63))
		busy = 2;
	ret = __seamcall(fn, args);
	if (ret == busy)
		ret = __seamcall(fn, args);
	if (ret)
		err(fn, ret, args);
	return ret ? -EIO : 0;
}

static int ldr_do(err_fn_t err, u64 pad, u64 fn, struct tdx_module_args *args)
{
	return retry(err, fn, args);
}

static const ldr_fn_t ldr_ops[] = { ldr_do };

int tdx_call(u64 fn, struct tdx_module_args *args)
{
	return retry(print_err, fn, args);
}

int ldr_call(u64 fn, struct tdx_module_args *args)
{
	return ldr_ops[0](print_err, 0, args->rcx, args);
}
"""
LINE = next(i for i, ln in enumerate(CODE.splitlines(), start=1) if "busy = 2;" in ln)


def _override(fixed: dict[str, str]) -> str | None:
    """What bit 63 fixes of the statement 'busy = 2;' (DEAD: it cannot run)."""
    return next((v for k, v in fixed.items() if k.startswith(f"d/h.h:{LINE}:")), None)


def test_an_ops_tables_function_of_another_arity_is_no_callee_of_the_entry() -> None:
    facts = code_facts((Source("d/h.h", ((1, tuple(CODE.splitlines())),), True),),
                       (EntryPoint("tdx_call"), EntryPoint("ldr_call")))
    # For every entry point together nothing is known (ldr_call() passes a leaf of any bit 63) ...
    assert _override(facts.bit63_fixed["0"]) is None, facts.bit63_fixed["0"]
    # ... but tdx_call()'s runs, given a TDX-module leaf, never run the override: its calls through a pointer pass
    # three arguments, and ldr_do() takes four (was not known: ldr_do() counted as called by every entry point).
    alone = fixed_for(facts.bit63_fixed["0"], facts.bit63_gains.get("0", {}), {"tdx_call"})
    assert _override(alone) == DEAD, alone


def test_an_ops_tables_function_of_the_arity_called_stays_a_callee() -> None:
    # ldr_do() taking three arguments, as the printer's calls pass: tdx_call()'s runs may call it through err(),
    # with anything, so nothing is known of the override for them either.
    code = CODE.replace("static int ldr_do(err_fn_t err, u64 pad, u64 fn, struct tdx_module_args *args)",
                        "static void ldr_do(u64 pad, u64 fn, struct tdx_module_args *args)") \
        .replace("\treturn retry(err, fn, args);\n}\n\nstatic const ldr_fn_t",
                 "\tretry(print_err, fn, args);\n}\n\nstatic const err_fn_t") \
        .replace("ldr_ops[0](print_err, 0, args->rcx, args)", "(ldr_ops[0](0, args->rcx, args), 0)") \
        .replace("static const err_fn_t ldr_ops", "static const err_fn_t ldr_ops")
    assert code != CODE
    facts = code_facts((Source("d/h.h", ((1, tuple(code.splitlines())),), True),),
                       (EntryPoint("tdx_call"), EntryPoint("ldr_call")))
    alone = fixed_for(facts.bit63_fixed["0"], facts.bit63_gains.get("0", {}), {"tdx_call"})
    assert _override(alone) is None, alone
