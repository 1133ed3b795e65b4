"""What a C declaration's words name: keywords, kernel annotations and type words.

The keywords, the kernel's annotations and the type words around a declarator's name, and the name a function's
head declares past attribute macros with arguments (models.slicer reads file-scope declarations with them, without
parsing).
"""

from __future__ import annotations

import re

from models.lazyre import lazy

KEYWORDS = frozenset(
    "auto break case char const continue default do double else enum extern float for goto if inline int long "
    "register restrict return short signed sizeof static struct switch typedef union unsigned void volatile while "
    "_Bool asm __asm__ typeof __typeof__ __attribute__".split()
)

# typeof(x) names a type, whatever words x has ("__typeof__(seam_real) *__sc_seam = seam_real;": not seam_real)
TYPEOF = re.compile(r"\b(?:typeof|__typeof__|__typeof|typeof_unqual|__typeof_unqual__)\s*\((?:[^()]|\([^()]*\))*\)")
# The kernel's annotations a variable's declaration may hold around its name (include/linux/compiler_types.h,
# init.h, cache.h, percpu-defs.h): no name of the variable, though spelt as one
ANNOTATIONS = frozenset(
    "__percpu __read_mostly __ro_after_init __initdata __initconst __exitdata __refdata __maybe_unused __used "
    "__always_unused __iomem __rcu __user __force __cacheline_aligned __cacheline_aligned_in_smp __visible __weak "
    "__page_aligned_bss __page_aligned_data __init __exit __must_check __private __nocast __bitwise __noreturn "
    "__aligned __section __counted_by __packed".split())
TYPE_WORDS = frozenset("char short int long signed unsigned void _Bool float double typeof".split())


def declared_name(words: list[str]) -> str | None:
    """The name the first declarator of a declaration declares, from the words before any ``=`` or ``[``:
    the last word that is no keyword, tag, typedef name of its type or annotation; a name spelt with leading
    underscores (``static u64 __seam_cached;``) where no other word is left."""
    tags = {i for i in range(1, len(words)) if words[i - 1] in ("struct", "union", "enum")}  # by place: the tag
    left = [w for i, w in enumerate(words) if w not in KEYWORDS and w not in ANNOTATIONS and i not in tags]
    typed = any(w in TYPE_WORDS for w in words) or bool(tags)
    if not typed and left:
        left = left[1:]  # the typedef name that gives the type ("u64 __seam_p": u64)
    plain = [w for w in left if not w.startswith("__")]
    return plain[-1] if plain else left[-1] if left else None


# A name a '(' follows (not "(*": a declarator in parentheses, whose name is inside)
_GROUP = re.compile(r"(?<!\w)([A-Za-z_]\w*)\s*\((?!\s*\*)")
_STARRED = lazy(r"\(\s*\*")
# "static int (fls)(unsigned int x)": a declarator's name in parentheses (no macro's name is expanded there, C11
# 6.10.3p10), the function's name; not an attribute macro's argument ("__acquires(l)(": a name before the '(')
_PARENTHESIZED = re.compile(r"(?<![\w)\]])\(\s*([A-Za-z_]\w*)\s*\)(?=\s*\()")
# An attribute macro's argument (compiler_attributes.h: __printf(1, 2), __section(".x"), __aligned(sizeof(u64)),
# __acquires(&l->lock)): a literal, a constant's capitals or an expression, which no parameter's declaration is
_ARGUMENT = re.compile(r"""["'.\-+/%&|^!~<>=?]|^\d|^[A-Z][A-Z0-9_]*$|^(?:sizeof|_?_?[Aa]lignof\w*)\b""")


def _items(inner: str) -> list[str]:
    """A group's items, split at its own commas: what nested parentheses hold is one ``*`` (``void (*cb)(int a, int
    b)``, ``sizeof(u64)``), what brackets hold nothing (``u64 a[N + 1]``)."""
    flat = re.sub(r"\[[^\[\]]*\]", "[]", inner)
    while (inner_most := re.sub(r"\((?:[^()]|\(\*\))*\)", "(*)", flat)) != flat:
        flat = inner_most
    return [x.strip() for x in flat.split(",")]


def _arguments(inner: str) -> bool:
    return any(_ARGUMENT.search(x) for x in _items(inner) if x != "...")


def _declares(inner: str) -> bool:
    """Whether a group's text reads as a parameter list: ``void``, nothing, or each item a type and a name (two
    words, or a ``*``), or ``...``."""
    items = _items(inner)
    return items in ([""], ["void"]) or (not _arguments(inner) and all(
        x == "..." or "*" in x or len(re.findall(r"[A-Za-z_]\w*", x)) > 1 for x in items))


def _groups(head: str) -> list[tuple[str, int, str]]:
    """The names ``head`` has a '(' after, outside any parentheses but a declarator's ``(*``, with where each
    starts and its group's text."""
    out, stack, at = [], [], 0
    for m in _GROUP.finditer(head):
        for ch_at in range(at, m.start()):
            if head[ch_at] == "(":
                stack.append(_STARRED().match(head, ch_at) is not None)
            elif head[ch_at] == ")" and stack:
                stack.pop()
        at = m.start()
        name = m.group(1)
        if all(stack) and name not in KEYWORDS and not name.startswith("__attribute"):
            depth, i = 1, m.end()
            while i < len(head) and depth:
                depth += {"(": 1, ")": -1}.get(head[i], 0)
                i += 1
            out.append((name, m.start(), head[m.end() : i - 1 if depth == 0 else i]))
    return out


def function_name(head: str) -> str | None:
    """The name a function's head (the text before its body or ``;``) declares: the last identifier before the
    parameter list's '(' (C11 6.7.6.3), not an attribute macro's before it (``static __printf(1, 2) void f(...)``,
    ``__alloc_size(1)``, ``__section(".x")``) or a context annotation's after it (``__acquires(&l->lock)``): the
    first group that declares parameters, else the first whose arguments hold no literal, constant or expression,
    else the first; None when nothing has a '(' after it."""
    groups = _groups(_PARENTHESIZED.sub(r" \1", head))
    chosen = ([g for g in groups if _declares(g[2])] or [g for g in groups if not _arguments(g[2])] or groups)
    return chosen[0][0] if chosen else None


def attributes_removed(text: str) -> str:
    """``text`` (a file-scope declaration) without the attribute macros that follow a declarator (``u64 buf[4]
    __aligned(64)``, ``u64 w __section(".d")``, ``f(size_t) __alloc_size(1)``): groups of attribute arguments after
    a name, ``]`` or ``)``. A macro invoked first (``MODULE_LICENSE("GPL")``) stays."""
    for name, start, inner in reversed(_groups(text)):
        before = text[:start].rstrip()
        words = re.findall(r"[A-Za-z_]\w*$", before)
        if _arguments(inner) and (before.endswith(("]", ")")) or (words and words[0] not in KEYWORDS)):
            end = start + len(name) + text[start + len(name):].index("(") + len(inner) + 2
            text = text[:start] + " " + text[end:]
    return text
