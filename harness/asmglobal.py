"""The assembler macros that start a global symbol, for gitbase (git grep) and weakdefs (read), without git."""

from __future__ import annotations

# The linkage.h macros that start a global symbol (SYM_FUNC_START_LOCAL/_WEAK do not), the older ENTRY() and
# GLOBAL(), and the assembler's own .globl / .global. Apart from harness.gitbase: harness.weakdefs runs in every
# eval, and importing gitbase there imported GitPython, whose import runs `git version`: a run that starts git is
# never kept (harness.runcache), so no eval was replayed.
ASM_GLOBAL = ("SYM_FUNC_START", "SYM_FUNC_START_NOALIGN", "SYM_TYPED_FUNC_START", "SYM_CODE_START",
              "SYM_CODE_START_NOALIGN", "SYM_FUNC_START_ALIAS", "SYM_FUNC_ALIAS", "ENTRY", "GLOBAL")
