"""The forms a run's pr_fmt takes, and the prefix one pr_*() call or pr_fmt() use has.

A prefix, or markers saying why and where it is not one: how the harness (harness.prfmt) tells the mirror what the
preprocessor would.
"""

from __future__ import annotations

from models.errors import UnsupportedConstruct
from models.gccplace import file_place
from models.prfmt_site import UNKNOWN_UNIT, site_pr_fmt

# A pr_fmt the harness could not read as a prefix: this marker, then why (harness.prfmt). A pr_*() call
# in such a unit is refused rather than printed with a prefix that is not the unit's.
UNMODELLED_PR_FMT = "\x00"
# A pr_fmt defined after #include lines (harness.prfmt): this marker, the unit's file, the definition's line
# and the prefix. A pr_*() of that file after the line has the prefix, one before it printk.h's default
# (none); one in another file saw it only if that file was included after the line: refused.
SCOPED_PR_FMT = "\x01"


# After the pr_fmt (any form above): this marker and where the unit defines DEBUG. pr_debug() then prints
# (include/linux/printk.h, and dynamic debug's default), which the mirror does not model: refused.
DEBUG_MARK = "\x02"


def split_debug(pr_fmt: str) -> tuple[str, str | None]:
    """The pr_fmt without the DEBUG marker, and where DEBUG is defined (None: it is not)."""
    head, mark, where = pr_fmt.partition(DEBUG_MARK)
    return head, where if mark else None


def scoped_pr_fmt(path: str, line: int, prefix: str, after: tuple[str, ...] = (),
                  before: tuple[str, ...] = ()) -> str:
    """The SCOPED_PR_FMT form: ``after`` are headers known to be first included after the definition (their
    pr_*() have the prefix), ``before`` ones first included before it (printk.h's default, none)."""
    return SCOPED_PR_FMT.join(["", path, str(line), "\x03".join(after), "\x03".join(before), prefix])


# After a prefix: this marker and the names pr_fmt() adds as arguments after ``fmt``, comma-separated
# (``#define pr_fmt(fmt) "%s: " fmt, __func__``): a pr_*() call passes them before its own arguments.
PR_FMT_ARGS = "\x06"
# The names such a pr_fmt may pass: each is known where the call is written (C11 6.4.2.2, 6.10.8.1).
PR_FMT_ARG_NAMES = frozenset({"__func__", "__FUNCTION__", "__LINE__"})


def site_prefix(pr_fmt: str, where: str, tu: str | None = "") -> bytes:
    """The pr_fmt prefix a pr_fmt() use at ``where`` (file:line) has in the translation unit of .c file ``tu``
    (models.prfmt_site.site_pr_fmt), or UnsupportedConstruct when unknown, or when that pr_fmt passes arguments
    after ``fmt``, which only a pr_*() call places (site_format)."""
    prefix, names = site_format(pr_fmt, where, tu)
    if names:
        raise UnsupportedConstruct(where, f"pr_fmt() passes {', '.join(names)} after fmt: a pr_*() call has it "
                                          "among its arguments, and this use of pr_fmt() is not modelled")
    return prefix


def site_format(pr_fmt: str, where: str, tu: str | None = "") -> tuple[bytes, tuple[str, ...]]:
    """The pr_fmt prefix a pr_*() call at ``where`` has (site_prefix) and the names pr_fmt() passes after fmt."""
    text = _site_prefix_text(pr_fmt, where, tu)
    prefix, _, names = text.partition(PR_FMT_ARGS)
    return pr_fmt_bytes(prefix), tuple(names.split(",")) if names else ()


def _site_prefix_text(pr_fmt: str, where: str, tu: str | None) -> str:
    pr_fmt = split_debug(site_pr_fmt(pr_fmt, where, tu))[0]
    if pr_fmt.startswith(UNKNOWN_UNIT):
        raise UnsupportedConstruct(where, "a header's pr_*() has the pr_fmt of the translation unit whose code "
                                          f"called it, here one of {pr_fmt[len(UNKNOWN_UNIT):]} or the run's "
                                          "unit, which this build (one copy of each header function) cannot tell")
    if pr_fmt.startswith(UNMODELLED_PR_FMT):
        raise UnsupportedConstruct(where, pr_fmt[len(UNMODELLED_PR_FMT):])
    if not pr_fmt.startswith(SCOPED_PR_FMT):
        return pr_fmt
    _, path, line, after, before, prefix = pr_fmt.split(SCOPED_PR_FMT, 5)
    site, _, number = file_place(where).rpartition(":")  # below a #line: the line the file holds it on
    if site == path and number.isdigit():
        return prefix if int(number) > int(line) else ""
    if site in after.split("\x03"):
        return prefix
    if site in before.split("\x03"):
        return ""
    raise UnsupportedConstruct(where, f"pr_fmt is defined at {path}:{line}, after #include lines: a pr_*() in "
                                      f"{site} sees it only if that file is included after it, and where it is "
                                      "included is not known")


def pr_fmt_bytes(prefix: str) -> bytes:
    """The pr_fmt prefix's bytes: the harness hands them over one character per byte (Latin-1)."""
    try:
        return prefix.encode("latin-1")
    except UnicodeEncodeError:
        return prefix.encode("utf-8")
