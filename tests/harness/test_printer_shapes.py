"""'No new error printer' on printers in unseen shapes: fail or inconclusive, never pass.

'No new error printer' (no_new_printers) on printers in shapes the review never saw: each must fail, or be
inconclusive where what a call does is not in the input, never pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.verdict import VerdictStatus
from tests.harness.seriesgen import PREAMBLE, PRINTERS, RETRY_SAFE, TAIL, preparing_series
from tests.mailgen import write_mbox

OLD_MACRO = "#define seamldr_prerr(_fn, _args)\tsc_retry_prerr(__seamcall, (_fn), (_args))\n"
NEW_MACRO = "#define seamldr_prerr(_fn, _args)\tsl_retry_prerr(__seamcall, (_fn), (_args))\n"
# The 'Prepare' patch gives the P-SEAMLDR its own retry-and-report helper; PRINT is how it reports.
OWN_PRERR = """\
static __always_inline int sl_retry_prerr(sc_func_t op, u64 fn, struct tdx_module_args *args)
{
	u64 err = sc_retry(op, fn, args);

	if (err == TDX_SUCCESS)
		return 0;
	PRINT
	return -EIO;
}

"""
MSG = '"SEAMCALL (%llx) failed: %#016llx\\n", fn, err'


def _verdict(tmp_path: Path, printing: str, defs: str = "", own: str = OWN_PRERR, other: str | None = None
             ) -> tuple[VerdictStatus, str]:
    printers = PRINTERS.replace(OLD_MACRO, NEW_MACRO).replace(
        "#define seamcall(_fn", defs + own.replace("PRINT", printing) + "#define seamcall(_fn")
    if other is not None:  # seamcall_prerr() calls the new helper too, passing ``other``
        printers = printers.replace(OTHER_MACRO, OTHER_MACRO.replace("sc_retry_prerr(__seamcall, ",
                                                                     f"sl_retry_prerr({other}, "))
    mbox = write_mbox(tmp_path / "v2.mbox", preparing_series(PREAMBLE + RETRY_SAFE + "\n" + printers + TAIL))
    found = {v.rule.id: v for v in evaluate_gate(GateRequest((mbox,), "v2", jobs=1)).verdicts}
    return found["reuse-seamcall-err"].status, found["reuse-seamcall-err"].note


@pytest.mark.parametrize("printing", [
    f"WARN(1, {MSG});",  # a WARN() with the message prints it (passed: only pr_*() counted in the patch's state)
    f"WARN_RATELIMIT(1, {MSG});",
    f"dev_err(seamldr_dev, {MSG});",  # include/linux/dev_printk.h (passed: not a printer)
    f"pr_devel({MSG});",
    f"printk_deferred_once(KERN_ERR {MSG});",
])
def test_a_new_printer_of_any_printk_family_fails(tmp_path: Path, printing: str) -> None:
    status, note = _verdict(tmp_path, printing)
    assert status is VerdictStatus.FAIL, (status, note)


def test_a_printer_through_a_local_wrapper_macro_fails(tmp_path: Path) -> None:
    wrapper = '#define sl_log(fmt, ...) printk(KERN_ERR "seamldr: " fmt, ##__VA_ARGS__)\n\n'
    assert _verdict(tmp_path, f"sl_log({MSG});", wrapper)[0] is VerdictStatus.FAIL


def test_a_call_of_a_function_no_line_defines_is_inconclusive(tmp_path: Path) -> None:
    # seamldr_report() may print: the input declares it, its body is elsewhere (passed before).
    status, note = _verdict(tmp_path, "seamldr_report(fn, err);", "void seamldr_report(u64 fn, u64 err);\n\n")
    assert status is VerdictStatus.INCONCLUSIVE, (status, note)
    assert "sl_retry_prerr()" in note, note
    assert "calls seamldr_report(), which the lines read declare but do not define" in note, note


def test_reusing_the_existing_printer_passes(tmp_path: Path) -> None:
    # The point met: the new helper reports through seamcall_err(), as the reviewer asked.
    status, note = _verdict(tmp_path, "seamcall_err(fn, err, args);")
    assert status is VerdictStatus.PASS, (status, note)



def _later(tmp_path: Path, change: str, printing: str) -> tuple[VerdictStatus, str]:
    """v2 of four patches: the 'Prepare' patch reuses seamcall_err() (the leaf in hex); the last one gives the
    P-SEAMLDR its own helper printing with ``printing`` and, with ``change`` "helper", makes seamldr_prerr() use it;
    with "wrapper", the P-SEAMLDR wrapper's file calls it instead (a new function of its own, not the helpers')."""
    from tests.harness.seriesgen import NEW_HOME, PREPARE, WRAPPER, WRAPPER_C, Step, revision

    base = PREAMBLE + RETRY_SAFE + "\n" + PRINTERS + TAIL
    prep = base.replace("SEAMCALL (%llu)", "SEAMCALL (%#llx)")
    own = OWN_PRERR.replace("PRINT", printing)
    if change == "helper":
        mine = prep.replace(OLD_MACRO, NEW_MACRO).replace("#define seamcall(_fn", own + "#define seamcall(_fn")
        last: tuple[tuple[str, str | None, str | None], ...] = ((NEW_HOME, prep, mine),)
    else:
        query = WRAPPER_C.replace("seamldr_prerr(fn, args)", "sl_retry_prerr(__seamcall, fn, args)")
        last = ((WRAPPER, WRAPPER_C, query.replace("static int seamldr_query", own + "static int seamldr_query")),)
    msgs = revision(2, [
        Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, base),)),
        Step(PREPARE, ((NEW_HOME, base, prep),)),
        Step("x86/virt/seamldr: Add a P-SEAMLDR query wrapper", ((WRAPPER, None, WRAPPER_C),)),
        Step("x86/virt/seamldr: Report P-SEAMLDR failures", last),
    ])
    found = {v.rule.id: v for v in evaluate_gate(GateRequest((write_mbox(tmp_path / "v2.mbox", msgs),), "v2",
                                                             jobs=1)).verdicts}
    return found["reuse-seamcall-err"].status, found["reuse-seamcall-err"].note


@pytest.mark.parametrize("printing", [f"pr_warn({MSG});", f"pr_err_ratelimited({MSG});", f"WARN(1, {MSG});"])
def test_a_printer_of_the_helpers_a_later_patch_adds_fails(tmp_path: Path, printing: str) -> None:
    # seamldr_prerr() becomes a helper of the P-SEAMLDR's own that prints, two patches after 'Prepare': judged only
    # right after 'Prepare', the rule passed on a series whose P-SEAMLDR failures end with a printer of their own.
    status, note = _later(tmp_path, "helper", printing)
    assert status is VerdictStatus.FAIL, (status, note)


def test_a_later_printer_outside_the_helpers_is_not_put_down_to_the_patch(tmp_path: Path) -> None:
    # The reverse: the same function called by the P-SEAMLDR wrapper's own file, not by the SEAMCALL helpers, is a
    # later patch's own business (as before).
    status, note = _later(tmp_path, "wrapper", f"pr_warn({MSG});")
    assert status is VerdictStatus.PASS, (status, note)



def _unseen(tmp_path: Path, later: str, prepare: str | None = None) -> tuple[VerdictStatus, str]:
    """Mail alone, a header the series does not create: 'Prepare' adds seamldr_prerr() (a function, shown whole)
    that reports through seamcall_err(), far from it; a later patch changes seamcall_err() (``later`` in place
    of its pr_err() line), showing its first line as context; ``prepare`` is that line in 'Prepare' itself. The
    state before 'Prepare' is known in fragments that never show seamcall_err()."""
    from tests.harness.seriesgen import OLD_HOME, PREPARE, Step, revision

    pad = "".join(f"/* filler line {i} between the printers and the macros */\n" for i in range(12))
    base = PREAMBLE + RETRY_SAFE + "\n" + PRINTERS.replace(OLD_MACRO, "") + pad + TAIL
    own = ("\nstatic inline int seamldr_prerr(u64 fn, struct tdx_module_args *args)\n{\n"
           "\tu64 err = sc_retry(__seamcall, fn, args);\n\n\tif (err == TDX_SUCCESS)\n\t\treturn 0;\n"
           "\tseamcall_err(fn, err, args);\n\treturn -EIO;\n}\n")
    line = '\tpr_err("SEAMCALL (%llu) failed: %#016llx\\n", fn, err);\n'
    prep = base.replace(pad, pad + own).replace(line, prepare or line)
    line = prepare or line
    msgs = revision(2, [Step(PREPARE, ((OLD_HOME, base, prep),)),
                        Step("x86/virt/tdx: Print the leaf in hex", ((OLD_HOME, prep, prep.replace(line, later)),))])
    found = {v.rule.id: v for v in evaluate_gate(GateRequest((write_mbox(tmp_path / "v2.mbox", msgs),), "v2",
                                                             jobs=1)).verdicts}
    return found["reuse-seamcall-err"].status, found["reuse-seamcall-err"].note


def test_a_printer_older_than_the_fragments_shown_is_not_new(tmp_path: Path) -> None:
    # seamcall_err() was there before 'Prepare' (the later patch shows its first line as context, no patch adds
    # it): unseen in the fragments is not new (it failed: 'seamcall_err() prints a message itself').
    status, note = _unseen(tmp_path, '\tpr_err("SEAMCALL (%#llx) failed: %#016llx\\n", fn, err);\n')
    assert status is not VerdictStatus.FAIL, (status, note)
    assert "seamcall_err() prints a message itself" not in note, note


def test_a_print_added_to_an_unseen_printer_is_not_passed(tmp_path: Path) -> None:
    # 'Prepare' itself adds a print line to it, removing none: whether it printed before is not known from mail.
    added = '\tpr_err("SEAMCALL (%llu) failed: %#016llx\\n", fn, err);\n\tpr_err("again\\n");\n'
    status, note = _unseen(tmp_path, added.replace("%llu", "%#llx"), prepare=added)
    assert status is VerdictStatus.INCONCLUSIVE, (status, note)
    assert "seamcall_err()" in note and "adds a print to it" in note, note


@pytest.mark.parametrize("attribute", ["static __printf(1, 2) void", "static void __printf(1, 2)"])
def test_a_printer_whose_name_follows_an_attribute_macro_is_not_passed_over(tmp_path: Path, attribute: str) -> None:
    # The code's reader took __printf() for the printer's name: sl_log() was not read, and the rule passed; then it
    # was INCONCLUSIVE (harness/unreadcode.misnamed). models.slicer now reads sl_log() (__printf() is an attribute
    # macro it skips), a new printer: FAIL.
    defs = f"{attribute} sl_log(const char *fmt, u64 fn)\n{{\n\tprintk(fmt, fn);\n}}\n\n"
    status, note = _verdict(tmp_path, 'sl_log("SEAMCALL (%llx) failed\\n", fn);', defs)
    assert status is VerdictStatus.FAIL, (status, note)


@pytest.mark.parametrize("printing", [
    'print_hex_dump(KERN_ERR, "seamldr: ", DUMP_PREFIX_NONE, 16, 1, args, sizeof(*args), false);',
    f"trace_printk({MSG});",
])
def test_a_call_of_a_kernel_function_the_input_neither_defines_nor_declares_is_inconclusive(
        tmp_path: Path, printing: str) -> None:
    # Its body is in a header mail does not show, and may print (print_hex_dump() does, at KERN_ERR): passed.
    status, note = _verdict(tmp_path, printing)
    assert status is VerdictStatus.INCONCLUSIVE, (status, note)
    assert "which the lines read neither define nor declare" in note, note


OTHER_MACRO = "#define seamcall_prerr(_fn, _args)\tsc_retry_prerr(__seamcall, (_fn), (_args))\n"


def _through(tmp_path: Path, report: str, other: str | None) -> tuple[VerdictStatus, str]:
    """The new helper reports through the function its callers pass: seamldr_prerr() passes sl_report() (whose
    body is ``report``); with ``other``, seamcall_prerr() calls it too, passing ``other``."""
    defs = f"static void sl_report(u64 fn, u64 err)\n{{\n{report}}}\n\n" \
        "static void sl_other(u64 fn, u64 err)\n{\n}\n\n"
    own = OWN_PRERR.replace("sc_func_t op, u64 fn", "sc_func_t op, void (*report)(u64 fn, u64 err), u64 fn")
    printers = PRINTERS.replace(OLD_MACRO, NEW_MACRO.replace("(__seamcall, ", "(__seamcall, sl_report, ")).replace(
        "#define seamcall(_fn", defs + own.replace("PRINT", "report(fn, err);") + "#define seamcall(_fn")
    if other is not None:
        assert OTHER_MACRO in printers
        printers = printers.replace(OTHER_MACRO, OTHER_MACRO.replace("sc_retry_prerr(__seamcall, ",
                                                                     f"sl_retry_prerr(__seamcall, {other}, "))
    assert "void (*report)(u64 fn, u64 err)" in printers
    mbox = write_mbox(tmp_path / "v2.mbox", preparing_series(PREAMBLE + RETRY_SAFE + "\n" + printers + TAIL))
    found = next(v for v in evaluate_gate(GateRequest((mbox,), "v2", jobs=1)).verdicts
                 if v.rule.id == "reuse-seamcall-err")
    return found.status, found.note


@pytest.mark.parametrize(("report", "status"), [("", VerdictStatus.PASS), (f"\tpr_err({MSG});\n", VerdictStatus.FAIL)],
                         ids=["both silent", "one printing"])
def test_a_call_through_a_parameter_callers_pass_different_functions_is_judged_through_each(
        tmp_path: Path, report: str, status: VerdictStatus) -> None:
    # Two callers passing two functions whose bodies are read, sl_report() and sl_other(): a call of each (round 49,
    # models.passedon; inconclusive before, 'calls report(), its parameter: what its callers pass is not followed').
    got, note = _through(tmp_path, report, "sl_other")
    assert got is status, (got, note)


@pytest.mark.parametrize(("report", "other", "status"), [
    ("", None, VerdictStatus.PASS),
    ("", "sl_report", VerdictStatus.PASS),  # two callers, one function
    (f"\tpr_err({MSG});\n", None, VerdictStatus.FAIL),
], ids=["silent", "silent from two callers", "printing"])
def test_a_call_through_a_parameter_every_caller_gives_one_function_is_judged_through_it(
        tmp_path: Path, report: str, other: str | None, status: VerdictStatus) -> None:
    # Before: inconclusive, 'calls report(), its parameter: what its callers pass is not followed', though every
    # call of sl_retry_prerr() passes sl_report(), whose body is read.
    got, note = _through(tmp_path, report, other)
    assert got is status, (got, note)


def test_a_seamcall_through_a_parameter_every_caller_gives_seamcall_is_judged(tmp_path: Path) -> None:
    # The new helper makes its SEAMCALL through op, which every caller passes as __seamcall (the prelude models it).
    # Before: inconclusive, 'calls op(), its parameter: what its callers pass is not followed'.
    direct = OWN_PRERR.replace("sc_retry(op, fn, args)", "op(fn, args)")
    status, note = _verdict(tmp_path, "seamcall_err(fn, err, args);", "", direct)
    assert status is VerdictStatus.PASS, (status, note)
    # One caller passing another function the prelude models: judged through each (inconclusive before round 49).
    status, note = _verdict(tmp_path, "seamcall_err(fn, err, args);", "", direct, other="__seamcall_ret")
    assert status is VerdictStatus.PASS, (status, note)


def test_a_pointer_variable_every_caller_passes_is_not_followed(tmp_path: Path) -> None:
    # What a function pointer variable holds when the call is made is not followed: never judged through its name.
    direct = OWN_PRERR.replace("sc_retry(op, fn, args)", "op(fn, args)")
    printers = PRINTERS.replace(OLD_MACRO, NEW_MACRO.replace("(__seamcall, ", "(sl_op, ")).replace(
        "#define seamcall(_fn", "static sc_func_t sl_op = __seamcall;\n\n" + direct.replace(
            "PRINT", "seamcall_err(fn, err, args);") + "#define seamcall(_fn")
    mbox = write_mbox(tmp_path / "v2.mbox", preparing_series(PREAMBLE + RETRY_SAFE + "\n" + printers + TAIL))
    found = next(v for v in evaluate_gate(GateRequest((mbox,), "v2", jobs=1)).verdicts
                 if v.rule.id == "reuse-seamcall-err")
    assert found.status is VerdictStatus.INCONCLUSIVE and "calls op(), its parameter" in found.note, found


def _renamed(tmp_path: Path, beside: str) -> tuple[VerdictStatus, str]:
    """The 'Prepare' patch renames seamcall_err() sc_report_err() (every caller with it), ``beside`` added after."""
    header = (PREAMBLE + RETRY_SAFE + "\n" + PRINTERS + beside + TAIL).replace("seamcall_err(", "sc_report_err(")
    mbox = write_mbox(tmp_path / "v2.mbox", preparing_series(header))
    found = {v.rule.id: v for v in evaluate_gate(GateRequest((mbox,), "v2", jobs=1)).verdicts}
    return found["reuse-seamcall-err"].status, found["reuse-seamcall-err"].note


def test_the_printer_renamed_is_the_one_reused(tmp_path: Path) -> None:
    # seamcall_err() become sc_report_err(): the printer the reference has, under another name. It failed the rule
    # ("sc_report_err() prints a message itself"), a gate failure (exit 1) for a rename.
    status, note = _renamed(tmp_path, "")
    assert status is VerdictStatus.PASS, (status, note)
    # A printer of the P-SEAMLDR's own beside the rename is still new.
    own = f"\nstatic inline void sl_err(u64 fn, u64 err)\n{{\n\tpr_err({MSG});\n}}\n"
    status, note = _renamed(tmp_path, own)
    assert status is VerdictStatus.FAIL, (status, note)
