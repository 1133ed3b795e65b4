"""models.lazyre: the mirror's patterns few runs reach are compiled at first use, each once, as re.compile does."""

from __future__ import annotations

import importlib
import re

import pytest

from models.lazyre import lazy


def test_compiled_once_as_re_compiles_it() -> None:
    get = lazy(rb"\bpr_fmt\b", re.M)
    assert get() is get()
    assert (get().pattern, get().flags) == (re.compile(rb"\bpr_fmt\b", re.M).pattern, re.compile(rb"\bpr_fmt\b",
                                                                                                re.M).flags)
    assert get().search(b"#define pr_fmt(fmt) fmt") is not None


def test_a_bad_pattern_fails_at_first_use() -> None:
    get = lazy(r"(unclosed")
    with pytest.raises(re.error):
        get()


# Compiled by an empty-cache eval of the corpus and never matched with there (round 57: asm labels, token pasting,
# guard uses, #elifdef, #error and #line, #pragma GCC, integer suffixes, extern inline, ...): ~1,600 characters.
LAZY = {
    "models.asmstub": ("_BEFORE_LABEL", "_CONTROL"),
    "models.avoidpaste": ("_PP_TOKEN",),
    "models.cload": ("_GUARD_USE", "_POISON", "_TEST"),
    "models.conditional": ("_DEFINED_USE", "_DEFINED_OP"),
    "models.declconflict": ("_TOKEN",),
    "models.declnames": ("_STARRED",),
    "models.directives": ("_ELIFDEF",),
    "models.filestops": ("_DIRECTIVE", "_FOLLOWED"),
    "models.ifvalues": ("_NUMBER", "_ELEMENT"),
    "models.linecoord": ("_MARKED",),
    "models.macrogenerated": ("_ALIAS",),
    "models.native.records": ("_OWN_COPY",),
    "models.ppexpr": ("_TOKEN",),
    "models.ppnumber": ("_INTEGER",),
    "models.pragmas": ("_MESSAGES", "_ERROR", "_LOOP", "_LOOP_OK"),
    "models.prfmt_site": ("_SITE_MARKS",),
    "models.printk": ("_OCTAL", "_INTEGER", "_SUFFIX", "_NUMBERISH"),
    "models.redefinition": ("_EXTERN_INLINE", "_TAGGED"),
    "models.scopewalk": ("_CLOSES",),
    "models.slicer": ("_FUNC_TYPEDEF", "_ENUM_TAG"),
    "models.splice": ("_COMMENT",),
}


def compiled_at_first_use(module: str, names: tuple[str, ...]) -> None:
    """Each of ``names`` in ``module`` is a lazy() getter (no pattern at import) compiling one pattern once."""
    mod = importlib.import_module(module)
    for name in names:
        get = getattr(mod, name)
        assert not isinstance(get, re.Pattern), f"{module}.{name} is compiled at import"
        assert isinstance(get(), re.Pattern) and get() is get()


@pytest.mark.parametrize("module", sorted(LAZY))
def test_patterns_few_runs_reach_are_compiled_at_first_use(module: str) -> None:
    compiled_at_first_use(module, LAZY[module])
