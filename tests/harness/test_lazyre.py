"""The harness's patterns few runs reach compiled at first use (models.lazyre's lazy(), tested there)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.models.test_lazyre import compiled_at_first_use

# Patterns a filled-cache eval of the corpus never matches with (a series NAKed or dropped as a whole, a printk
# call among a patch's removed lines, a NAK of another revision, <...> headers, lore URLs, Kbuild lists, patch ids,
# maildir names, the cross-check's reasons, reply variant names): compiled at first use, not by every process.
# titlenames' series NAK/drop patterns are gated instead (compiled only for a text holding their words), which
# tests/harness/test_regate.py checks.
LAZY = {
    "harness.codechecks": ("_PRINT_CALL",),
    "harness.takenback": ("_ELSEWHERE", "_COUNTED"),
    "harness.sysheaders": ("_COMMENT", "_LITERAL", "_MEMBER", "_DECLARED"),
    "harness.lore": ("_MSGID", "_BARE", "_ID_PREFIX", "_LORE_URL", "_DEEP_URL", "_PATCHWORK"),
    "harness.prfmt": ("_LIST", "_UNLESS_DEFINED"),
    "harness.patchid": ("_HUNK", "_HEX40", "_C_FILE", "_FILE", "_WORD"),
    "harness.sources": ("_YEAR", "_MBOXRD_QUOTED", "FORMAT_PATCH_SEPARATOR"),
    "harness.mailpaths": ("_MAILDIR_RUNS", "_MAIL_HEADERS"),
    "harness.crossview": ("_COUNTED", "_PREFIX", "_HEAD"),
    "harness.replyvariants": ("_NOT_NAME", "_REPLY_NAME"),
    # Compiled by an empty-cache eval of the corpus and never used there (Kconfig, weak and alias definitions, the
    # unit's includes, a reply's patch parts or retraction, a bare LF in a patch...): ~3,000 pattern characters.
    "harness.aliases": ("_PRAGMA", "_DECL", "_NAME", "_WEAK"),
    "harness.callsites": ("_SPACE",),
    "harness.externconsts": ("_EXTERN_CONST", "_MORE"),
    "harness.externsettled": ("_MACRO", "_HEAD", "_CHAIN"),
    "harness.filestate": ("_LFS", "GITLINK"),
    "harness.heldback": ("_TOKEN",),
    "harness.kconfig": ("_BLOCK_END", "_DEPENDS", "_TOKEN", "_LINE", "_SOURCE", "_SELECT_IF", "_IF", "_ENDIF",
                       "_OPEN", "_CLOSE", "_HELP", "_TYPE"),
    "harness.logformat": ("_SPEC",),
    "harness.logsites": ("_INTEGER",),
    "harness.namedpatches": ("_SERIES_WORD",),
    "harness.patching": ("_LINE_CR", "_BARE_LF"),
    "harness.patchplace": ("_PART", "_LIVES_ON"),
    "harness.shortlog": ("SHORTLOG_HEAD", "CLAUSE_END", "_INTO"),
    "harness.ruleinput": ("_STATE",),
    "harness.selfretract": ("_STILL",),
    "harness.tagcondition": ("_END", "_GOES_ON"),
    "harness.treebuilt": ("_IF", "_OPTION", "_POSITIVE"),
    "harness.unitdefs": ("_INVOCATION",),
    "harness.unjudged": ("_SPAN",),
    "harness.valuereaders": ("_LITERAL",),
    "harness.valuewords": ("_VALUE_START", "_IN_TYPES", "_CALL"),
    "harness.visibility": ("_REFUSAL",),
    "harness.weakdefs": ("_ASM_HEAD", "_DEFINED_OP", "_CONFIG_TEST"),
    "harness.weakmarks": ("_PRAGMA_WEAK", "_WEAK_DECL", "_DECL_NAME"),
    # Round 57: more that an empty-cache eval of the corpus compiled and never matched with (asm statements, Kbuild
    # and Makefile words, supercite marks, quoted-printable escapes, epoch dates, static keys...): ~2,600 characters.
    "harness.appliedsome": ("_COUNTED",),
    "harness.asmstores": ("_HEAD", "_SYMBOL", "_STRING"),
    "harness.attribution": ("_UP_TO_DATE",),
    "harness.b4part": ("_DIFF",),
    "harness.buildflags": ("_NAMED_FLAG", "_GLOBAL"),
    "harness.comparison": ("_ADDED",),
    "harness.configonly": ("_PLACE", "_CALL"),
    "harness.configwords": ("_UNDER", "_PLACE"),
    "harness.contextmiss": ("_RUN",),
    "harness.defreach": ("_ITEM",),
    "harness.diffparse": ("_ZERO_BLOB",),
    "harness.diffpaths": ("_OCTAL",),
    "harness.followups": ("_BRACKET", "_HASH"),
    "harness.kconfigbranch": ("_INCLUDE", "_SETS"),
    "harness.keepwords": ("_NEGATION",),
    "harness.leafform": ("_WORDS",),
    "harness.linking": ("_PATTERN",),
    "harness.mailinfo": ("_FORMAT_PATCH_SEPARATOR",),
    "harness.makeconds": ("_MAKE_ENDEF", "_MAKE_VALUE"),
    "harness.matrixtext": ("_NAME_LINE",),
    "harness.message": ("_BARE_QUOTE",),
    "harness.mimedecode": ("_QP_ESCAPE",),
    "harness.nakrevisions": ("_BESIDES", "_THIS"),
    "harness.ordinalnames": ("_WORD",),
    "harness.pastedcalls": ("_DEFINE", "_HEAD"),
    "harness.pastednames": ("_CHAIN",),
    "harness.patchparts": ("_WORD",),
    "harness.quotednak": ("_NAK_TRAILER",),
    "harness.regressions": ("_NOT",),
    "harness.replydiffs": ("_GIT_HEAD", "_OLD_HEAD", "_HEADER_LINE"),
    "harness.scriptkeys": ("_DEFINE", "_KEY_TAG"),
    "harness.strictthread": ("_ANGLED",),
    "harness.supercite": ("_CITED", "_MARKED"),
    "harness.threadcache": ("_LEFTOVER",),
    "harness.tomlfile": ("_KEY_START",),
    "harness.tradnames": ("_EPOCH",),
    "harness.unnameddrop": ("_CODE_MARK",),
    "harness.valueconv": ("_NUMBER",),
    "harness.variantchoices": ("_WHOLE",),
}


@pytest.mark.parametrize("module", sorted(LAZY))
def test_patterns_few_runs_reach_are_compiled_at_first_use(module: str) -> None:
    compiled_at_first_use(module, LAZY[module])


def test_a_matrix_its_names_choose_never_imports_seamcode(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """harness.seamcode (what a hunk does, for a matrix no name of the patches chooses) is imported only when asked:
    the corpus' names choose its matrix."""
    from harness.pipeline import EvalRequest, build_variants, read_inputs, resolve_matrix

    monkeypatch.setitem(sys.modules, "harness.seamcode", None)  # importing it raises ImportError
    req = EvalRequest((corpus,), cache=None, jobs=1)
    series = read_inputs(req)
    assert resolve_matrix(req, build_variants(req, series), series).recognises
