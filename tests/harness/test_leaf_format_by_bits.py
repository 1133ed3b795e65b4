"""A print whose format leaf bits no scenario's leaf varies pick is no pass of a leaf-base rule; gcc the oracle.

``pr_err(sc_fmts[fn & 3], fn, err)`` printed in hex for every leaf of the matrix (33, 35, SEAMLDR_INFO,
SEAMLDR_INSTALL: indexes 1, 3, 0, 1); index 2 (TDX-module leaf 34) holds a decimal format. The print ran, so it was
"shown": leaf-in-hex-for-both and leaf-base-consistent passed (harness.leafsame, models.otherbits)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.verdict import VerdictStatus
from tests.harness.seriesgen import PRINTERS, RETRY_SAFE, helpers, preparing_series
from tests.mailgen import write_mbox

RULES = ("leaf-base-consistent", "leaf-in-hex-for-both")
OLD = '\tpr_err("SEAMCALL (%llu) failed: %#016llx\\n", fn, err);\n'
FORMATS = """\
static const char *const sc_fmts[4] = {
\t"SEAMCALL (%#llx) failed: %#016llx\\n", "SEAMCALL (%#llx) failed: %#016llx\\n",
\t"SEAMCALL (%llu) failed: %#016llx\\n", "SEAMCALL (%#llx) failed: %#016llx\\n",
};

"""
BY_TABLE = '\tpr_err(sc_fmts[fn & 3], fn, err);\n'
BY_LOCAL = '\tconst char *fmt = sc_fmts[fn & 3];\n\n\tpr_err(fmt, fn, err);\n'
# The format handed to a printer that prints its parameter.
SAY = "static void seamcall_say(const char *fmt, u64 fn, u64 err)\n{\n\tpr_err(fmt, fn, err);\n}\n\n"
BY_PARAMETER = '\tseamcall_say(sc_fmts[fn & 3], fn, err);\n'
# Handed on again: seamcall_say() hands its format to seamcall_say2(), which prints it.
SAY_TWICE = "static void seamcall_say2(const char *fmt, u64 fn, u64 err)\n{\n\tpr_err(fmt, fn, err);\n}\n\n" \
    "static void seamcall_say(const char *fmt, u64 fn, u64 err)\n{\n\tseamcall_say2(fmt, fn, err);\n}\n\n"
# Handed in a struct: a local initialised with the format, its address given to a printer of 'm->fmt'.
SAY_MEMBER = "struct sc_msg {\n\tconst char *fmt;\n};\n\n" \
    "static void seamcall_say(const struct sc_msg *m, u64 fn, u64 err)\n{\n\tpr_err(m->fmt, fn, err);\n}\n\n"
BY_MEMBER = '\tstruct sc_msg m = { .fmt = sc_fmts[fn & 3] };\n\n\tseamcall_say(&m, fn, err);\n'
# Handed in a file-scope struct's member set before the call; to a printer called through a pointer.
SAY_GLOBAL = SAY_MEMBER + "static struct sc_msg sc_m;\n\n"
BY_GLOBAL = '\tsc_m.fmt = sc_fmts[fn & 3];\n\tseamcall_say(&sc_m, fn, err);\n'
SAY_POINTER = SAY + "static void (*const say_fn)(const char *, u64, u64) = seamcall_say;\n\n"
BY_POINTER = '\tsay_fn(sc_fmts[fn & 3], fn, err);\n'
# Handed in a local set once to the format.
BY_LOCAL_PARAMETER = '\tconst char *fmt = sc_fmts[fn & 3];\n\n\tseamcall_say(fmt, fn, err);\n'
# A file-scope struct's member set in another function, sc_pick(), run before the print.
MSG = "struct sc_msg {\n\tconst char *fmt;\n};\n\nstatic struct sc_msg sc_m;\n\n"
PICK = MSG + "static void sc_pick(u64 fn)\n{\n\tsc_m.fmt = sc_fmts[fn & 3];\n}\n\n"
SAY_PICKED = PICK + SAY_MEMBER.replace(MSG[:MSG.index("static")], "")
# A local struct a helper fills through the pointer it is given.
PICK_INTO = SAY_MEMBER + "static void sc_pick(struct sc_msg *m, u64 fn)\n{\n\tm->fmt = sc_fmts[fn & 3];\n}\n\n"
# Two struct levels: m.inner.fmt printed as m->inner.fmt.
INNER = "struct sc_in {\n\tconst char *fmt;\n};\n\nstruct sc_msg {\n\tstruct sc_in inner;\n};\n\n" \
    "static void seamcall_say(const struct sc_msg *m, u64 fn, u64 err)\n{\n\tpr_err(m->inner.fmt, fn, err);\n}\n\n"
# The format a helper returns, called by name or through an ops table's member.
FMT_FOR = "static const char *sc_fmt_for(u64 fn)\n{\n\treturn sc_fmts[fn & 3];\n}\n\n"
# A local a helper sets through the pointer to it it is given.
PICK_THROUGH = "static void sc_pick(const char **pf, u64 fn)\n{\n\t*pf = sc_fmts[fn & 3];\n}\n\n"
FMT_OPS = FMT_FOR + "struct sc_fmt_ops {\n\tconst char *(*fmt_for)(u64 fn);\n};\n\n" \
    "static const struct sc_fmt_ops sc_fops = {\n\t.fmt_for = sc_fmt_for,\n};\n\n"

# Handed to a variadic printer: printed by vprintk() of its va_list, formatted by vsnprintf() into a buffer a print
# then prints, handed on in the va_list to a function printing it; and (not variadic) snprintf() into a buffer.
SAY_VPRINTK = "static __printf(1, 2) void seamcall_say(const char *fmt, ...)\n{\n\tva_list ap;\n\n" \
    "\tva_start(ap, fmt);\n\tvprintk(fmt, ap);\n\tva_end(ap);\n}\n\n"
SAY_VSNPRINTF = "static __printf(1, 2) void seamcall_say(const char *fmt, ...)\n{\n\tchar buf[96];\n\tva_list ap;\n\n" \
    "\tva_start(ap, fmt);\n\tvsnprintf(buf, sizeof(buf), fmt, ap);\n\tva_end(ap);\n\tpr_err(\"%s\", buf);\n}\n\n"
SAY_VA_LIST = "static void seamcall_vsay(const char *fmt, va_list ap)\n{\n\tvprintk(fmt, ap);\n}\n\n" \
    "static __printf(1, 2) void seamcall_say(const char *fmt, ...)\n{\n\tva_list ap;\n\n\tva_start(ap, fmt);\n" \
    "\tseamcall_vsay(fmt, ap);\n\tva_end(ap);\n}\n\n"
SAY_SNPRINTF = "static void seamcall_say(const char *fmt, u64 fn, u64 err)\n{\n\tchar buf[96];\n\n" \
    "\tsnprintf(buf, sizeof(buf), fmt, fn, err);\n\tpr_err(\"%s\", buf);\n}\n\n"
# Printed by %pV of a struct va_format holding the format and the va_list (lib/vsprintf.c va_format()), the
# struct's members assigned or initialised.
SAY_PV = "static __printf(1, 2) void seamcall_say(const char *fmt, ...)\n{\n\tstruct va_format vaf;\n" \
    "\tva_list ap;\n\n\tva_start(ap, fmt);\n\tvaf.fmt = fmt;\n\tvaf.va = &ap;\n\tpr_err(\"%pV\", &vaf);\n" \
    "\tva_end(ap);\n}\n\n"
SAY_PV_INIT = "static __printf(1, 2) void seamcall_say(const char *fmt, ...)\n{\n\tva_list ap;\n" \
    "\tstruct va_format vaf = { .fmt = fmt, .va = &ap };\n\n\tva_start(ap, fmt);\n\tpr_err(\"%pV\", &vaf);\n" \
    "\tva_end(ap);\n}\n\n"
SAY_PV_PICK = "static void seamcall_say(u64 fn, ...)\n{\n\tstruct va_format vaf;\n\tva_list ap;\n\n" \
    "\tva_start(ap, fn);\n\tvaf.fmt = sc_fmts[fn & 3];\n\tvaf.va = &ap;\n\tpr_err(\"%pV\", &vaf);\n\tva_end(ap);\n}\n\n"
# Built in one function, printed in another: the struct's address handed to a printer of '%pV'.
PV_ELSEWHERE = "static void seamcall_pv(const struct va_format *v)\n{\n\tpr_err(\"%pV\", v);\n}\n\n"
SAY_PV_ELSEWHERE = PV_ELSEWHERE + SAY_PV.replace('pr_err("%pV", &vaf)', "seamcall_pv(&vaf)")
SAY_PV_INIT_ELSEWHERE = PV_ELSEWHERE + SAY_PV_INIT.replace('pr_err("%pV", &vaf)', "seamcall_pv(&vaf)")
SAY_PV_PICK_ELSEWHERE = PV_ELSEWHERE + SAY_PV_PICK.replace('pr_err("%pV", &vaf)', "seamcall_pv(&vaf)")
# Handed to the '%pV' printer through a function pointer or an ops member, or kept in a file-scope struct va_format
# a function called after prints (models.otherbits._printing followed calls by name only).
PV_FN = PV_ELSEWHERE + "static void (*const sc_pv_fn)(const struct va_format *) = seamcall_pv;\n\n"
PV_OPS = PV_ELSEWHERE + "struct sc_pv_ops {\n\tvoid (*pv)(const struct va_format *);\n};\n\n" \
    "static const struct sc_pv_ops sc_pops = {\n\t.pv = seamcall_pv,\n};\n\n"
SAY_PV_FN = PV_FN + SAY_PV.replace('pr_err("%pV", &vaf)', "sc_pv_fn(&vaf)")
SAY_PV_OPS = PV_OPS + SAY_PV.replace('pr_err("%pV", &vaf)', "sc_pops.pv(&vaf)")
SAY_PV_KEPT = "static struct va_format sc_vaf;\n\n" \
    "static void seamcall_pv_kept(void)\n{\n\tpr_err(\"%pV\", &sc_vaf);\n}\n\n" \
    "static __printf(1, 2) void seamcall_say(const char *fmt, ...)\n{\n\tva_list ap;\n\n\tva_start(ap, fmt);\n" \
    "\tsc_vaf.fmt = fmt;\n\tsc_vaf.va = &ap;\n\tseamcall_pv_kept();\n\tva_end(ap);\n}\n\n"
# A pointer to the wrapper's LOCAL struct va_format kept in a file-scope object a function called after prints
# through (models.otherbits._kept_print followed a store that reads the parameter itself only).
SAY_PV_KEPT_PTR = "static struct va_format *sc_keep;\n\n" \
    "static void seamcall_pv_keep(void)\n{\n\tpr_err(\"%pV\", sc_keep);\n}\n\n" \
    "static __printf(1, 2) void seamcall_say(const char *fmt, ...)\n{\n\tstruct va_format vaf;\n\tva_list ap;\n\n" \
    "\tva_start(ap, fmt);\n\tvaf.fmt = fmt;\n\tvaf.va = &ap;\n\tsc_keep = &vaf;\n\tseamcall_pv_keep();\n" \
    "\tva_end(ap);\n}\n\n"
SAY_PV_KEPT_PTR_COPY = SAY_PV_KEPT_PTR.replace("\tsc_keep = &vaf;", "\tp = &vaf;\n\tsc_keep = p;") \
    .replace("struct va_format vaf;", "struct va_format vaf, *p;")  # the address through a local pointer
SAY_PV_KEPT_PTR_LOCAL = SAY_PV_KEPT_PTR.replace(  # printed through a local copied from the file-scope pointer
    '\tpr_err("%pV", sc_keep);', '\tstruct va_format *v = sc_keep;\n\n\tpr_err("%pV", v);')
# The wrapper's local struct va_format copied whole into a file-scope one the printer prints (by '=', memcpy(),
# memmove(), through a pointer to it: file-scope, set by another function, local, __auto_type; by a function of the
# files), or its address stored through a pointer to the file-scope pointer the printer prints (file-scope, offset,
# given back by a call, set from one, set by a function through its parameter), or given back by a helper: only the
# '=' was followed (models.keptprints, models.pointsat). id: (store in place of 'sc_keep = &vaf;', what the file
# defines before the printer, whether the file-scope object is the struct itself).
COPIER = "static void sc_copy(struct va_format *d, const struct va_format *s)\n{\n\t%s\n}\n\n"
GET_PP = "static struct va_format **sc_get_pp(void)\n{\n\treturn &sc_keep;\n}\n\n"
PP = "static struct va_format **sc_pp = &sc_keep;\n\n"
DST = "static struct va_format *sc_dst;\n\nstatic void sc_init(void)\n{\n\tsc_dst = &sc_keep;\n}\n\n"
ESCAPES = {
    "assigned": ("\tsc_keep = vaf;", "", True),  # INCONCLUSIVE before too
    "memcpy": ("\tmemcpy(&sc_keep, &vaf, sizeof(vaf));", "", True),
    "memmove": ("\tmemmove(&sc_keep, &vaf, sizeof(vaf));", "", True),
    "written-through-a-file-scope-pointer": (
        "\t*sc_dst = vaf;", "static struct va_format *sc_dst = &sc_keep;\n\n", True),
    "through-a-pointer-another-function-sets": ("\tsc_init();\n\t*sc_dst = vaf;", DST, True),
    "through-a-local-pointer": ("\t{\n\t\tstruct va_format *d = &sc_keep;\n\n\t\t*d = vaf;\n\t}", "", True),
    "memcpy-through-a-local-pointer": (
        "\t{\n\t\tstruct va_format *d = &sc_keep;\n\n\t\tmemcpy(d, &vaf, sizeof(vaf));\n\t}", "", True),
    "through-an-auto-type-pointer": ("\t{\n\t\t__auto_type d = &sc_keep;\n\n\t\t*d = vaf;\n\t}", "", True),
    "by-a-files-function": ("\tsc_copy(&sc_keep, &vaf);", COPIER % "*d = *s;", True),
    "by-a-files-function-calling-memcpy": ("\tsc_copy(&sc_keep, &vaf);", COPIER % "memcpy(d, s, sizeof(*d));", True),
    "address-through-a-pointer-to-pointer": ("\t*sc_pp = &vaf;", PP, False),
    "address-through-an-offset-pointer-to-pointer": ("\t*(sc_pp + 0) = &vaf;", PP, False),
    "address-through-a-pointer-a-call-gives": ("\t*sc_get_pp() = &vaf;", GET_PP, False),
    "address-through-a-pointer-set-from-a-call": (
        "\tsc_pp = sc_get_pp();\n\t*sc_pp = &vaf;", "static struct va_format **sc_pp;\n\n" + GET_PP, False),
    "address-through-a-setters-parameter": (
        "\tsc_put(&sc_keep, &vaf);",
        "static void sc_put(struct va_format **pp, struct va_format *v)\n{\n\t*pp = v;\n}\n\n", False),
    "address-given-back-by-a-helper": (
        "\tsc_keep = sc_id(&vaf);", "static struct va_format *sc_id(struct va_format *v)\n{\n\treturn v;\n}\n\n",
        False),
    "address-through-a-local-pointer-a-function-aims": (  # pointsat.pointees: '&p' handed on may set p
        "\t{\n\t\tstruct va_format **p;\n\n\t\tsc_aim(&p);\n\t\t*p = &vaf;\n\t}",
        "static void sc_aim(struct va_format ***out)\n{\n\t*out = &sc_keep;\n}\n\n", False),
    "address-through-a-pointer-set-from-two-locals": (  # pointsat.file_targets: locals followed any depth
        "\tsc_init2();\n\t*sc_pp = &vaf;", "static struct va_format **sc_pp;\n\nstatic void sc_init2(void)\n{\n"
        "\tstruct va_format **a = &sc_keep, **b = a;\n\n\tsc_pp = b;\n}\n\n", False),
}

TWINS = ("memcpy", "written-through-a-file-scope-pointer", "by-a-files-function-calling-memcpy",
         "address-through-a-pointer-to-pointer", "address-through-an-offset-pointer-to-pointer",
         "address-given-back-by-a-helper", "address-through-a-local-pointer-a-function-aims",
         "address-through-a-pointer-set-from-two-locals")  # their one-format twins: reads that may name any object


def _escape(form: str) -> str:
    """The printer of ESCAPES' ``form``: SAY_PV_KEPT_PTR with its store, definitions and file-scope object."""
    store, added, whole = ESCAPES[form]
    say = SAY_PV_KEPT_PTR.replace("\tsc_keep = &vaf;", store)
    if whole:
        say = say.replace("static struct va_format *sc_keep;", "static struct va_format sc_keep;").replace(
            '"%pV", sc_keep)', '"%pV", &sc_keep)')
    return say.replace("static void seamcall_pv_keep(void)", added + "static void seamcall_pv_keep(void)")


# The object printed through a file-scope pointer whose initialiser points at it, a copy of the struct or a pointer
# to it (only a local copied from the object was followed).
SAY_PV_PRINTED_VIA_POINTER = _escape("assigned").replace(
    "static void seamcall_pv_keep(void)", "static struct va_format *sc_dst = &sc_keep;\n\n"
    "static void seamcall_pv_keep(void)").replace('"%pV", &sc_keep)', '"%pV", sc_dst)')
SAY_PV_PRINTED_VIA_READ_ONCE = SAY_PV_KEPT_PTR.replace('"%pV", sc_keep)', '"%pV", READ_ONCE(sc_keep))')
SAY_PV_PRINTED_VIA_GETTER = SAY_PV_KEPT_PTR.replace(  # a function of the files giving the pointer back
    "static void seamcall_pv_keep(void)", "static struct va_format *sc_get(void)\n{\n\treturn sc_keep;\n}\n\n"
    "static void seamcall_pv_keep(void)").replace('"%pV", sc_keep)', '"%pV", sc_get())')
# The wrapper stores its local struct's address through a pointer parameter its caller hands &sc_keep.
SAY_PV_STORED_THROUGH_PARAMETER = SAY_PV_KEPT_PTR.replace("__printf(1, 2)", "__printf(2, 3)").replace(
    "seamcall_say(const char *fmt, ...)", "seamcall_say(struct va_format **out, const char *fmt, ...)").replace(
    "\tsc_keep = &vaf;", "\t*out = &vaf;")
BY_PARAMETER_KEPT = "\tseamcall_say(&sc_keep, sc_fmts[fn & 3], fn, err);\n"
# Formatted by vsnprintf() into a file-scope buffer another function prints with "%s".
SAY_VSNPRINTF_ELSEWHERE = "static char sc_buf[96];\n\nstatic void seamcall_buf_show(void)\n{\n" \
    "\tpr_err(\"%s\", sc_buf);\n}\n\n" + SAY_VSNPRINTF.replace("\tchar buf[96];\n", "").replace(
        "vsnprintf(buf, sizeof(buf), fmt, ap)", "vsnprintf(sc_buf, sizeof(sc_buf), fmt, ap)").replace(
        '\tpr_err("%s", buf);', "\tseamcall_buf_show();")
BUF_SHOW = SAY_VSNPRINTF_ELSEWHERE[:SAY_VSNPRINTF_ELSEWHERE.index("static __printf")]
BY_BUFFER_ELSEWHERE = "\tsnprintf(sc_buf, sizeof(sc_buf), sc_fmts[fn & 3], fn, err);\n\tseamcall_buf_show();\n"
SAY_PV_PRINTED_VIA_POINTER_TO_POINTER = SAY_PV_KEPT_PTR.replace(
    "static void seamcall_pv_keep(void)", PP + "static void seamcall_pv_keep(void)").replace(
    '"%pV", sc_keep)', '"%pV", *sc_pp)')


# The format picked inside a variadic printer from its named leaf parameter (its callers pass more arguments than
# it names: models.leafbits followed none of them into it).
SAY_PICK_VPRINTK = "static void seamcall_say(u64 fn, ...)\n{\n\tva_list ap;\n\n\tva_start(ap, fn);\n" \
    "\tvprintk(sc_fmts[fn & 3], ap);\n\tva_end(ap);\n}\n\n"
# The oracle's pr_err() for those: %pV as lib/vsprintf.c va_format() prints it (vsnprintf() of the struct's format
# with a copy of its va_list), any other format as printf() does; written for a %-template (its '%' doubled).
PV_PR_ERR = """\
#include <string.h>
struct va_format {
\tconst char *fmt;
\tva_list *va;
};
static void pr_err(const char *fmt, ...)
{
\tva_list ap, inner;

\tva_start(ap, fmt);
\tif (!strcmp(fmt, "%%pV")) {
\t\tstruct va_format *vaf = va_arg(ap, struct va_format *);

\t\tva_copy(inner, *vaf->va);
\t\tvprintf(vaf->fmt, inner);
\t\tva_end(inner);
\t} else {
\t\tvprintf(fmt, ap);
\t}
\tva_end(ap);
}
"""

_ORACLE = """\
#include <stdarg.h>
#include <stdio.h>
typedef unsigned long long u64;
#define __printf(a, b) __attribute__((format(printf, a, b)))
#define vprintk vprintf
#define pr_err printf
#define dev_err(dev, fmt, ...) printf(fmt, ##__VA_ARGS__)
#define WARN(c, fmt, ...) ((c) ? printf(fmt, ##__VA_ARGS__) : 0)
#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
%sstatic void seamcall_err(u64 fn, u64 err)
{
%s}
int main(void)
{
\tseamcall_err(33, 0x8000020300000000ULL);
\tseamcall_err(34, 0x8000020300000000ULL);
\treturn 0;
}
"""


def _gcc(tmp_path: Path, body: str, formats: str = FORMATS) -> list[str]:
    """What the printer prints for TDX-module leaves 33 and 34, built by gcc."""
    if shutil.which("gcc") is None:
        pytest.skip("gcc (the C oracle) is not installed")
    src, exe = tmp_path / "oracle.c", tmp_path / "oracle"
    oracle = _ORACLE.replace("#define pr_err printf\n", PV_PR_ERR) if "%pV" in formats else _ORACLE
    src.write_text(oracle % (formats, body))
    subprocess.run(["gcc", "-O1", "-Wall", "-Wno-format-security", "-Wno-format-nonliteral", "-o", str(exe),
                    str(src)], check=True)
    return subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout.splitlines()


def _judge(tmp_path: Path, body: str, formats: str = FORMATS) -> dict[str, tuple[VerdictStatus, str]]:
    assert OLD in PRINTERS
    header = helpers(RETRY_SAFE).replace(OLD, body).replace("static inline void seamcall_err",
                                                            formats + "static inline void seamcall_err")
    mbox = write_mbox(tmp_path / "v2.mbox", preparing_series(header))
    gate = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, cache=None))
    return {v.rule.id: (v.status, v.note) for v in gate.verdicts if v.rule.id in RULES}


@pytest.mark.parametrize(("body", "formats"), [
    (BY_TABLE, FORMATS), (BY_LOCAL, FORMATS), (BY_PARAMETER, FORMATS + SAY), (BY_PARAMETER, FORMATS + SAY_TWICE),
    (BY_MEMBER, FORMATS + SAY_MEMBER), (BY_LOCAL_PARAMETER, FORMATS + SAY), (BY_GLOBAL, FORMATS + SAY_GLOBAL),
    (BY_POINTER, FORMATS + SAY_POINTER),
    ('\tsc_pick(fn);\n\tseamcall_say(&sc_m, fn, err);\n', FORMATS + SAY_PICKED),
    ('\tsc_pick(fn);\n\tpr_err(sc_m.fmt, fn, err);\n', FORMATS + PICK),
    ('\tsc_m.fmt = sc_fmts[fn & 3];\n\tpr_err(sc_m.fmt, fn, err);\n', FORMATS + MSG),
    ('\tconst char *fmt;\n\n\tfmt = sc_fmts[fn & 3];\n\tpr_err(fmt, fn, err);\n', FORMATS),
    ('\tstruct sc_msg m;\n\n\tsc_pick(&m, fn);\n\tseamcall_say(&m, fn, err);\n', FORMATS + PICK_INTO),
    ('\tstruct sc_msg m = { .inner.fmt = sc_fmts[fn & 3] };\n\n\tseamcall_say(&m, fn, err);\n', FORMATS + INNER),
    ('\tstruct sc_msg m;\n\n\tm.inner.fmt = sc_fmts[fn & 3];\n\tseamcall_say(&m, fn, err);\n', FORMATS + INNER),
    ('\tstruct sc_msg m = { .inner = { .fmt = sc_fmts[fn & 3] } };\n\n\tseamcall_say(&m, fn, err);\n',
     FORMATS + INNER),
    ('\tpr_err(sc_fmt_for(fn), fn, err);\n', FORMATS + FMT_FOR),
    ('\tseamcall_say(sc_fmt_for(fn), fn, err);\n', FORMATS + FMT_FOR + SAY),
    ('\tpr_err(sc_fops.fmt_for(fn), fn, err);\n', FORMATS + FMT_OPS),
    ('\tconst char *fmt = NULL;\n\n\tsc_pick(&fmt, fn);\n\tpr_err(fmt, fn, err);\n', FORMATS + PICK_THROUGH),
    ('\tdev_err(NULL, sc_fmts[fn & 3], fn, err);\n', FORMATS),
    ('\tWARN(1, sc_fmts[fn & 3], fn, err);\n', FORMATS),
    (BY_PARAMETER, FORMATS + SAY_VPRINTK), (BY_PARAMETER, FORMATS + SAY_VSNPRINTF),
    (BY_PARAMETER, FORMATS + SAY_VA_LIST), (BY_PARAMETER, FORMATS + SAY_SNPRINTF),
    ('\tchar buf[96];\n\n\tsnprintf(buf, sizeof(buf), sc_fmts[fn & 3], fn, err);\n\tpr_err("%s", buf);\n', FORMATS),
    (BY_PARAMETER, FORMATS + SAY_PV), (BY_PARAMETER, FORMATS + SAY_PV_INIT),
    ('\tseamcall_say(fn, fn, err);\n', FORMATS + SAY_PV_PICK),
    ('\tseamcall_say(fn, fn, err);\n', FORMATS + SAY_PICK_VPRINTK),
    (BY_PARAMETER, FORMATS + SAY_PV_ELSEWHERE), (BY_PARAMETER, FORMATS + SAY_PV_INIT_ELSEWHERE),
    ('\tseamcall_say(fn, fn, err);\n', FORMATS + SAY_PV_PICK_ELSEWHERE),
    (BY_PARAMETER, FORMATS + SAY_PV_FN), (BY_PARAMETER, FORMATS + SAY_PV_OPS), (BY_PARAMETER, FORMATS + SAY_PV_KEPT),
    (BY_PARAMETER, FORMATS + SAY_PV_KEPT_PTR),
    (BY_PARAMETER, FORMATS + SAY_PV_KEPT_PTR_COPY),
    (BY_PARAMETER, FORMATS + SAY_PV_KEPT_PTR_LOCAL),
    *((BY_PARAMETER, FORMATS + _escape(form)) for form in ESCAPES),
    (BY_PARAMETER, FORMATS + SAY_PV_PRINTED_VIA_POINTER),
    (BY_PARAMETER, FORMATS + SAY_PV_PRINTED_VIA_POINTER_TO_POINTER),
    (BY_PARAMETER, FORMATS + SAY_PV_PRINTED_VIA_READ_ONCE), (BY_PARAMETER, FORMATS + SAY_PV_PRINTED_VIA_GETTER),
    (BY_PARAMETER_KEPT, FORMATS + SAY_PV_STORED_THROUGH_PARAMETER), (BY_PARAMETER, FORMATS + SAY_VSNPRINTF_ELSEWHERE),
    (BY_BUFFER_ELSEWHERE, FORMATS + BUF_SHOW),
], ids=["table", "local", "handed-to-a-printer", "handed-on-twice", "handed-in-a-struct", "handed-from-a-local",
        "handed-in-a-file-scope-struct", "to-a-printer-through-a-pointer", "set-by-another-function-then-handed",
        "set-by-another-function-then-printed", "set-in-a-file-scope-struct-then-printed", "local-set-after-declaring",
        "local-struct-a-helper-fills", "two-struct-levels", "two-struct-levels-assigned",
        "two-struct-levels-nested-initialiser", "returned-by-a-helper", "returned-by-a-helper-handed-on",
        "returned-through-an-ops-member", "local-a-helper-sets-through-its-address", "dev-err", "warn",
        "handed-to-a-vprintk-wrapper", "handed-to-a-vsnprintf-wrapper",
        "handed-on-in-a-va_list", "formatted-into-a-buffer", "formatted-into-a-buffer-here", "printed-by-pV",
        "printed-by-pV-initialised", "picked-into-a-va_format", "picked-in-a-variadic-printer",
        # Before: PASS on both (the struct's format was looked for only where it is printed)
        "pV-printed-by-another-function", "pV-initialised-printed-by-another-function",
        "picked-into-a-va_format-printed-by-another-function",
        # Before: PASS on both (the '%pV' printer reached through a pointer, an ops member or a file-scope object)
        "pV-printed-through-a-function-pointer", "pV-printed-through-an-ops-member",
        "pV-kept-in-a-file-scope-va_format",
        # Before: PASS on both (a pointer to the local struct kept in a file-scope object)
        "pV-of-a-local-through-a-file-scope-pointer",
        "pV-of-a-local-through-a-local-then-file-scope-pointer",
        "pV-of-a-local-through-a-file-scope-pointer-printed-via-a-local",
        # Before: PASS on both but for 'assigned' (the local struct or its address escaping otherwise than by '=')
        *(f"pV-of-a-local-{form}" for form in ESCAPES),
        "pV-of-a-local-copied-then-printed-through-a-file-scope-pointer",
        "pV-of-a-local-kept-then-printed-through-a-pointer-to-pointer",
        # Before: PASS on both (the printed argument matched only where it is the object or its address)
        "pV-of-a-local-kept-then-printed-via-READ_ONCE", "pV-of-a-local-kept-then-printed-via-a-getter",
        # Before: PASS on both (a store through a parameter was followed to no object)
        "pV-of-a-local-stored-through-the-wrappers-pointer-parameter",
        # Before: PASS on both (the print of a buffer was looked for in the formatting function only)
        "formatted-into-a-file-scope-buffer-printed-by-another-function",
        "formatted-here-into-a-file-scope-buffer-printed-by-another-function"])
def test_a_format_picked_by_leaf_bits_the_matrix_never_varies_is_not_a_pass(tmp_path: Path, body: str,
                                                                            formats: str) -> None:
    # gcc: leaf 33 in hex, leaf 34 in decimal. Was PASS on both rules.
    assert _gcc(tmp_path, body, formats) == ["SEAMCALL (0x21) failed: 0x8000020300000000",
                                             "SEAMCALL (34) failed: 0x8000020300000000"]
    for rule, (status, note) in _judge(tmp_path, body, formats).items():
        assert status is VerdictStatus.INCONCLUSIVE, (rule, note)
        assert "picks its format by bits of the leaf other than bit 63" in note, (rule, note)


@pytest.mark.parametrize(("body", "formats"), [
    (BY_TABLE.replace("sc_fmts[fn & 3]", "sc_fmts[fn >> 63]"), FORMATS),
    ('\tsc_pick(fn);\n\tpr_err(sc_m.fmt, fn, err);\n', FORMATS + PICK.replace("fn & 3", "fn >> 63")),
    ('\tpr_err(sc_m.fmt, fn, err);\n', FORMATS + MSG.replace("sc_m;", 'sc_m = { .fmt = "SEAMCALL (%#llx) failed: '
                                                                  '%#016llx\\n" };')),
    ('\tseamcall_say("SEAMCALL (%#llx) failed: %#016llx\\n", fn, err);\n', FORMATS + SAY_PV_ELSEWHERE),
    ('\tseamcall_say("SEAMCALL (%#llx) failed: %#016llx\\n", fn, err);\n', FORMATS + SAY_PV_FN),
    ('\tseamcall_say("SEAMCALL (%#llx) failed: %#016llx\\n", fn, err);\n', FORMATS + SAY_PV_KEPT),
    ('\tseamcall_say("SEAMCALL (%#llx) failed: %#016llx\\n", fn, err);\n', FORMATS + SAY_PV_KEPT_PTR),
    ('\tseamcall_say("SEAMCALL (%#llx) failed: %#016llx\\n", fn, err);\n', FORMATS + SAY_PV_KEPT_PTR_COPY),
    ('\tseamcall_say("SEAMCALL (%#llx) failed: %#016llx\\n", fn, err);\n', FORMATS + SAY_PV_KEPT_PTR_LOCAL),
    *(('\tseamcall_say("SEAMCALL (%#llx) failed: %#016llx\\n", fn, err);\n', FORMATS + _escape(form))
      for form in TWINS),
    ('\tseamcall_say("SEAMCALL (%#llx) failed: %#016llx\\n", fn, err);\n', FORMATS + SAY_PV_PRINTED_VIA_POINTER),
    ('\tseamcall_say("SEAMCALL (%#llx) failed: %#016llx\\n", fn, err);\n', FORMATS + SAY_PV_PRINTED_VIA_GETTER),
    ('\tseamcall_say(&sc_keep, "SEAMCALL (%#llx) failed: %#016llx\\n", fn, err);\n',
     FORMATS + SAY_PV_STORED_THROUGH_PARAMETER),
    ('\tseamcall_say("SEAMCALL (%#llx) failed: %#016llx\\n", fn, err);\n', FORMATS + SAY_VSNPRINTF_ELSEWHERE),
], ids=["table", "set-by-another-function", "file-scope-struct-never-set", "pV-of-one-format-printed-elsewhere",
        "pV-of-one-format-through-a-pointer", "pV-of-one-format-kept-in-a-file-scope-va_format",
        "pV-of-one-format-through-a-file-scope-pointer",
        "pV-of-one-format-through-a-local-then-file-scope-pointer",
        "pV-of-one-format-through-a-file-scope-pointer-printed-via-a-local",
        *(f"pV-of-one-format-{form}" for form in TWINS),
        "pV-of-one-format-copied-then-printed-through-a-file-scope-pointer",
        "pV-of-one-format-kept-then-printed-via-a-getter",
        "pV-of-one-format-stored-through-the-wrappers-pointer-parameter",
        "one-format-formatted-into-a-file-scope-buffer-printed-by-another-function"])
def test_a_format_picked_by_bit_63_alone_or_by_nothing_keeps_its_pass(tmp_path: Path, body: str, formats: str
                                                                      ) -> None:
    for rule, (status, note) in _judge(tmp_path, body, formats).items():
        assert status is VerdictStatus.PASS, (rule, note)


_CALLER_ORACLE = """\
#include <stdio.h>
typedef unsigned long long u64;
struct tdx_module_args;
#define pr_err printf
%sstatic void sc_report(u64 fn, u64 err, struct tdx_module_args *args)
{
%s}
int main(void)
{
\tsc_report(33, 0x8000020300000000ULL, NULL);
\tsc_report(34, 0x8000020300000000ULL, NULL);
\treturn 0;
}
"""
CALL = "\tseamcall_err(fn, err, args);\n"
ERR = "static inline void seamcall_err(u64 fn, u64 err, struct tdx_module_args *args)\n{\n%s}\n"
ERR_FMT = "static inline void seamcall_err(u64 fn, u64 err, const char *fmt)\n{\n\tpr_err(fmt, fn, err);\n}\n"


@pytest.mark.parametrize(("printer", "caller", "formats"), [
    (ERR % '\tpr_err(sc_m.fmt, fn, err);\n', '\tsc_m.fmt = sc_fmts[fn & 3];\n' + CALL, FORMATS + MSG),
    (ERR_FMT, '\tseamcall_err(fn, err, sc_fmts[fn & 3]);\n', FORMATS),
    (ERR % '\tpr_err(sc_m.fmt, fn, err);\n', '\tstruct sc_msg *m = &sc_m;\n\n\tm->fmt = sc_fmts[fn & 3];\n' + CALL,
     FORMATS + MSG),
], ids=["set-by-the-caller-of-the-printer", "handed-by-the-caller-of-the-printer",
        "set-by-the-caller-through-a-pointer"])
def test_a_format_the_printers_caller_picks_by_leaf_bits_the_matrix_never_varies_is_not_a_pass(
        tmp_path: Path, printer: str, caller: str, formats: str) -> None:
    # sc_retry_prerr() sets the file-scope format, or hands it, before seamcall_err() prints it.
    src, exe = tmp_path / "oracle.c", tmp_path / "oracle"
    if shutil.which("gcc") is None:
        pytest.skip("gcc (the C oracle) is not installed")
    src.write_text(_CALLER_ORACLE % (formats + printer, caller))
    subprocess.run(["gcc", "-O1", "-Wall", "-Wno-format-security", "-Wno-format-nonliteral", "-o", str(exe),
                    str(src)], check=True)
    assert subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout.splitlines() == [
        "SEAMCALL (0x21) failed: 0x8000020300000000", "SEAMCALL (34) failed: 0x8000020300000000"]
    base = helpers(RETRY_SAFE)
    header = base.replace(ERR % OLD, formats + printer).replace(CALL, caller)
    assert header != base.replace(CALL, caller)
    gate = evaluate_gate(GateRequest((write_mbox(tmp_path / "v2.mbox", preparing_series(header)),), "v2", jobs=1,
                                     cache=None))
    for v in (v for v in gate.verdicts if v.rule.id in RULES):
        assert v.status is VerdictStatus.INCONCLUSIVE, (v.rule.id, v.note)
        assert "picks its format by bits of the leaf other than bit 63" in v.note, (v.rule.id, v.note)
