"""A format that does not fit the type it prints, or an errno that does not fit the case it reports, stated."""

from __future__ import annotations

import re

from harness.deedwords import denied_before
from models.lazyre import lazy

# Why: "u64 is printed with %d here.", "The format string prints a pointer as an int.", "The helper returns -EINVAL
# for a busy module.", "The busy case falls through to -EPERM." state a flaw by naming the pair that does not fit,
# with no word of a flaw (each READY, exit 0, before); the same sentence with a pair that fits ("u64 is printed with
# %llu.", "It returns -EBUSY for a busy module.") states none, so the pair itself is read. Formats by
# Documentation/core-api/printk-formats.rst and gcc's -Wformat (lib/vsprintf.c); errnos by the meanings of
# include/uapi/asm-generic/errno-base.h and errno.h and the kernel's use of them.

_TYPES = (r"(?:__)?[us](?:8|16|32|64)\b|size_t\b|ssize_t\b|phys_addr_t\b|dma_addr_t\b|resource_size_t\b|"
          r"unsigned\s+long\s+long\b|unsigned\s+long\b|unsigned\s+int\b|unsigned\b|long\s+long\b|long\b|int\b|"
          r"bool\b|char\s*\*|pointers?\b|void\s*\*|strings?\b|integers?\b|ints\b")
_FMT = r"%[-+ #0]*(?:\d+|\*)?(?:\.\d+)?(?:hh|h|ll|l|z|t|j)?[diouxXcsp]\w*"
# Where a sentence ties a type to the format printing it: "u64 is printed with %d", "prints the size_t with %d",
# "%d for a size_t", "%lx, but phys_addr_t is u64", and one type printed as another: "prints a pointer as an int".
_DET = r"(?:(?:a|an|the|this|that|its|each|every)\s+)?"
# Not a line of C ("int main(void) { printf(\"%lld\", ..."): no parenthesis or brace between the two.
_TIED = lazy(rf"(?P<t1>{_TYPES})[^.;!?%(){{}}]{{0,40}}?\b(?:print\w*|format\w*|show\w*|log\w*|output\w*|dump\w*|"
             rf"us(?:e|es|ed|ing))\b[^.;!?%]{{0,15}}?(?P<f1>{_FMT})"
             rf"|\b(?:print\w*|format\w*|log\w*|dump\w*)\s+{_DET}(?P<t2>{_TYPES})\s+(?:with|using|via|by|as)\s+"
             rf"(?P<f2>{_FMT})"
             rf"|(?P<f3>{_FMT})\s+(?:is\s+used\s+)?for\s+{_DET}(?P<t3>{_TYPES})"
             rf"|(?P<f4>{_FMT})[^.;!?]{{0,40}}?\bbut\s+(?:the\s+|this\s+|a\s+|an\s+|it\s+)?(?:[\w.>-]+\s+)?(?:is|are)\s+"
             rf"(?:an?\s+)?(?P<t4>{_TYPES})"
             rf"|\bprint\w*\s+{_DET}(?P<t5>{_TYPES})\s+as\s+(?:an?\s+)?(?P<t6>{_TYPES})")
_SPEC = lazy(r"%[-+ #0]*(?:\d+|\*)?(?:\.\d+)?(?P<mod>hh|h|ll|l|z|t|j)?(?P<conv>[diouxXcsp])(?P<ext>\w*)")
_SIGNED, _UNSIGNED = frozenset("di"), frozenset("ouxX")
_ANY_INT = _SIGNED | _UNSIGNED
# Each type's class, and the length modifier and conversions that print it without a -Wformat warning (a u32 by %d
# prints a large value negative: reviewers ask %u). A pointer is printed by %p, a phys_addr_t by %pa.
_CLASS = {
    "u8": "small", "u16": "small", "s8": "small", "s16": "small", "bool": "small",
    "u32": "u32", "unsigned int": "u32", "unsigned": "u32", "int": "int", "s32": "int", "integer": "int",
    "long": "long", "unsigned long": "ulong", "long long": "s64", "s64": "s64", "u64": "u64",
    "unsigned long long": "u64", "size_t": "size", "ssize_t": "ssize", "phys_addr_t": "phys", "dma_addr_t": "dma",
    "resource_size_t": "phys", "pointer": "ptr", "void *": "ptr", "char *": "str", "string": "str",
}
_FITS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "small": (frozenset(("", "h", "hh")), _ANY_INT | frozenset("c")), "u32": (frozenset(("",)), _UNSIGNED),
    "int": (frozenset(("",)), _ANY_INT), "long": (frozenset(("l",)), _SIGNED), "ulong": (frozenset(("l",)), _UNSIGNED),
    "s64": (frozenset(("ll",)), _SIGNED), "u64": (frozenset(("ll",)), _UNSIGNED),
    "size": (frozenset(("z",)), _UNSIGNED), "ssize": (frozenset(("z",)), _SIGNED),
    "str": (frozenset(("",)), frozenset("s")),
}


def _class(type_words: str) -> str | None:
    t = re.sub(r"\s+", " ", type_words.lower()).strip()
    t = re.sub(r"^__", "", t)
    t = {"pointers": "pointer", "strings": "string", "integers": "integer", "ints": "int", "char*": "char *",
         "void*": "void *"}.get(t, t)
    return _CLASS.get(t)


def _fits(cls: str, fmt: str) -> bool:
    """Whether the format ``fmt`` prints a value of class ``cls`` (a pointer's by %p, a phys_addr_t's by %pa or
    %llx of a cast: a format of another class is no flaw this reader tells)."""
    m = _SPEC().match(fmt)
    if m is None:
        return True
    mod, conv, ext = m.group("mod") or "", m.group("conv"), m.group("ext")
    if cls == "ptr":
        return conv == "p"
    if cls in ("phys", "dma"):
        return (conv == "p" and ext.startswith("a")) or (mod == "ll" and conv in _UNSIGNED)
    mods, convs = _FITS[cls]
    return conv != "p" and mod in mods and conv in convs


def format_misfit(sentence: str) -> bool:
    """Whether ``sentence`` ties a type to a format that does not print it ("u64 is printed with %d here.", "%lx, but
    phys_addr_t is u64.") or says one type is printed as another ("It prints a pointer as an int.")."""
    if "%" not in sentence and "print" not in sentence.lower():
        return False
    for m in _TIED().finditer(sentence):
        if denied_before(sentence, m.start()):
            continue
        if m.group("t5") is not None:
            a, b = _class(m.group("t5")), _class(m.group("t6"))
            if a is not None and b is not None and a != b:
                return True
            continue
        for n in "1234":
            if m.group("t" + n) is not None:
                cls = _class(m.group("t" + n))
                if cls is not None and not _fits(cls, m.group("f" + n)):
                    return True
    return False


# A case and the errnos that report it; another errno for it is the wrong one.
_CASES = (
    (r"\bbusy\b", frozenset(("EBUSY", "EAGAIN"))),
    (r"\b(?:missing|absent|not\s+(?:found|present|loaded|there)|no\s+such|(?:doesn['’]t|does\s+not)\s+exist|"
     r"non-?existent)\b", frozenset(("ENOENT", "ENODEV", "ENXIO", "EOPNOTSUPP", "ENOTSUPP"))),
    (r"\b(?:bad|invalid|faulting|unmapped)\s+(?:user\s+)?(?:pointer|address|buffer)\b", frozenset(("EFAULT",))),
    (r"\b(?:out\s+of\s+memory|allocation\s+fail\w*|no\s+memory)\b", frozenset(("ENOMEM",))),
    (r"\b(?:time[sd]?\s+out|timeout)\b", frozenset(("ETIMEDOUT", "ETIME"))),
    (r"\b(?:unsupported|not\s+supported)\b", frozenset(("EOPNOTSUPP", "ENOTSUPP", "ENODEV", "ENOSYS"))),
    (r"\b(?:unprivileged|not\s+permitted|no\s+permission|without\s+permission)\b", frozenset(("EPERM", "EACCES"))),
    (r"\b(?:interrupted|a\s+signal|signal\s+pending)\b", frozenset(("EINTR", "ERESTARTSYS", "ERESTARTNOINTR"))),
    (r"\balready\s+(?:exists|loaded|registered|present)\b", frozenset(("EEXIST", "EBUSY", "EALREADY"))),
)
_ERRNO = r"-?E[A-Z][A-Z0-9]+\b"
_GIVES = (r"(?:returns?|returning|gives?|reports?|yields?|falls?\s+(?:through|back)\s+to|ends?\s+up\s+(?:with|"
          r"returning|as|in)|results?\s+in|maps?\s+to|turns?\s+into)")
# "It returns -EINVAL for a busy module.", "This returns -ENOMEM when the module is busy.", "The busy case falls
# through to -EPERM.", "A missing module gives -EINVAL here."
_ERRNO_FOR = lazy(rf"\b{_GIVES}\s+(?P<errno>{_ERRNO})(?P<rest>[^.;!?]{{0,60}})", re.I)
_CASE_GIVES = lazy(rf"(?P<lead>[^.;!?,]{{0,40}}?)\b{_GIVES}\s+(?P<errno>{_ERRNO})", re.I)
_WHERE = lazy(r"^\s*(?:\w+\s+)?(?:for|when|on|if|in|where|after|whenever)\b", re.I)


def _case(words: str) -> frozenset[str] | None:
    found = [errnos for case, errnos in _CASES if re.search(case, words, re.I)]
    return found[0] if len(found) == 1 else None


def errno_misfit(sentence: str) -> bool:
    """Whether ``sentence`` says an errno is given for a case it does not report ("The helper returns -EINVAL for a
    busy module.", "The busy case falls through to -EPERM.")."""
    if "-E" not in sentence:
        return False
    for m in _ERRNO_FOR().finditer(sentence):
        where = _WHERE().match(m.group("rest"))
        if where is not None and _misfit(sentence, m, _case(m.group("rest")[where.end():])):
            return True
    return any(_misfit(sentence, m, _case(m.group("lead"))) for m in _CASE_GIVES().finditer(sentence))


def _misfit(sentence: str, m: re.Match[str], fits: frozenset[str] | None) -> bool:
    errno = m.group("errno").lstrip("-")
    return fits is not None and errno.upper() == errno and errno not in fits \
        and not denied_before(sentence, m.start("errno"))
