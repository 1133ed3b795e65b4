"""What a C declaration's words name: keywords, kernel annotations and type words.

The keywords, the kernel's annotations and the type words around a declarator's name (models.slicer reads file-scope
declarations with them, without parsing).
"""

from __future__ import annotations

import re

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
