"""A reviewer's condition the code does not meet: a merit granted only if, a claim the diff belies, a flaw if so."""

from __future__ import annotations

import re

from harness.regate import gated
from models.lazyre import lazy

# Why its own reader: harness.concernwords leaves a condition alone ("If this breaks boot, we revert it." asks
# nothing), and a reviewer grants a merit only under a condition, then says the code does not meet it: "This only
# works if the caller holds the lock, which tdx_foo() does not.", "That assumes the sigstruct is page aligned, but the
# firmware loader gives no such guarantee.", "It is fine as long as nobody calls this from atomic context, and
# tdx_update_store() does exactly that." Each was read as nothing, the gate READY (h701's list, round 70). The
# condition met ("..., which all callers do.", "..., which stop_machine() guarantees.") or its breach harmless
# ("..., which is not a problem here.") objects to nothing.

# A merit held only under a condition, or what the code relies on: "only works if", "is only correct if", "is fine as
# long as", "relies on", "assumes", "depends on".
_HELD_IF = gated(r"\b(?:(?:only\s+)?(?:works?|holds|helps|is\s+(?:only\s+)?(?:correct|safe|fine|right|ok(?:ay)?|valid|"
                 r"sound|true))\s+(?:only\s+)?(?:if|when|while|as\s+long\s+as|so\s+long\s+as|provided(?:\s+that)?|"
                 r"under\s+the\s+assumption)|"
                 r"(?:relies|depends|counts)\s+on|(?:assumes|presumes|presupposes|requires\s+that))\b", re.I)
# The condition said unmet in a later clause: "..., which tdx_foo() does not.", "..., but the loader gives no such
# guarantee.", "..., which nothing here checks.", "..., which is not the case on ...", "..., and X does exactly that."
# Not a breach said harmless ("..., which is not a problem", "..., but that doesn't matter here").
_UNMET = gated(r"[,;]\s*(?:which|and|but|yet)\s+(?:that\s+)?(?:(?:[\w()>.-]+\s+){0,6}?(?:(?:does|do|is|are|has|have|"
               r"can|will|did|was|were)(?:\s*n['’]t|\s+not)|never)\b"
               r"(?!\s+(?:(?:really|actually)\s+)?(?:a\s+(?:problem|concern|big\s+deal)|an\s+issue|matter|hurt|harm)\b)"
               r"|(?:[\w()>.-]+\s+){0,6}?(?:gives?|makes?|offers?|provides?|has)\s+no\s+(?:such\s+)?"
               r"(?:guarantee|promise)|(?:nothing|nobody|no\s+one)\s+(?:here\s+|in\s+[\w()]+\s+)?(?:checks?|ensures?|"
               r"guarantees?|enforces?|verif(?:y|ies)|promises?|bounds?|limits?|caps?|prevents?|stops?)|(?:[\w()>.-]+\s+){1,4}?(?:does|do|did)\s+(?:exactly|"
               r"precisely|just)\s+(?:that|this|so)\b)", re.I)
# A condition that nothing does a thing, then one that does it: "Provided nobody else touches tdx_sysinfo this is
# fine, but tdx_get_sysinfo() does.", "... only under the assumption that the firmware never returns TDX_BUSY, and it
# does." (READY, h701); not "..., and nobody does."
_NONE_BUT = gated(r"\b(?:provided|as\s+long\s+as|so\s+long\s+as|only\s+if|assum(?:es|ing)|under\s+the\s+assumption)"
                  r"(?:\s+that)?\s+(?:nobody|no\s+one|nothing|no\s+\w+|(?:the\s+)?[\w()>.-]+\s+never)\b[^.;!?]*?"
                  r"[,;]\s*(?:but|and|yet)\s+(?!(?:nobody|no\s+one|nothing|none|no)\b)(?:[\w()>.-]+\s+){1,4}?"
                  r"(?:does|do|did|can|will)(?:\s+(?:exactly\s+|precisely\s+|just\s+)?(?:that|so|this))?\W*$", re.I)
# A claim of the changelog or a comment the diff belies: "The changelog says this fixes a leak but the diff only
# renames a variable." (its "fixes a leak" was read as the flaw the patch fixes: harness.fixedbugwords).
_CLAIM_BELIED = gated(r"\b(?:changelog|commit\s+(?:message|log)|description|subject(?:\s+line)?|cover\s+letter|"
                      r"comment)\s+(?:says|claims|states|promises|talks\s+about|mentions|suggests)\b[^.;!?]*?"
                      r"[,;]?\s+but\s+(?:the\s+)?(?:diff|code|patch|change|hunk|implementation)\s+(?:only|just|"
                      r"actually|merely|(?:does|did)\s*(?:n['’]t|\s+not)|never)\b", re.I)
# A merit granted of one case, then denied of another: "The check is fine for the boot CPU, but a CPU brought online
# later never runs it." (not "fine for now", "fine for me": a time or the sender).
_FINE_FOR = gated(r"\b(?:is|are|works?|looks?)\s+(?:\w+\s+)?(?:fine|ok(?:ay)?|correct|right|safe)\s+for\s+"
                  r"(?!(?:now|me|us|this\s+(?:series|cycle|release)|the\s+(?:time|moment)|what)\b)[^,;.!?]+[,;]\s*but\s+"
                  r"[^.!?]*?(?:\bnever\b|n['’]t\b|\bnot\b|\bno\b)"
                  r"(?![^.!?]*\b(?:matters?|a\s+problem|an\s+issue|needed|necessary)\b)", re.I)

# A flaw under a condition of the code's own run: "If the allocation fails, this leaks the lock.", "Unless the caller
# zeroes the buffer, you hand uninitialized stack to the firmware." Not the sender's reading or doing ("If I read this
# right, ...", "Unless I'm missing something, ..."), the patch's fate ("Once you discard the patch, nothing calls
# it."), nor a main clause of someone else's ("..., we have bigger problems.", "..., something is badly wrong.").
_OPENING = lazy(r"^\W*(?:if|when|whenever|unless|once|in\s+case)\b(?P<cond>[^,;:]+?)"
                r"(?:,\s*|\s+(?=(?:this|it|you|the)\s))"
                r"(?P<main>(?:then\s+)?(?:this|it|you|the\s+[\w>.-]+(?:\s+[\w>.-]+)?|\w+\(\))\s[^;:]+)$", re.I)
_SENDERS = lazy(r"\b(?:I|I['’]m|me|my|we|us|our|patch(?:es)?|series|v\d+|appl(?:y|ied)|merg\w*|respin|revert\w*|"
                r"queue\w*|drop(?:ped)?\s+(?:it|this|the\s+patch))\b", re.I)


def condition_unmet(sentence: str) -> bool:
    """Whether ``sentence`` grants a merit under a condition and says the code does not meet it (_HELD_IF, then
    _UNMET; a condition that nothing does a thing, then one that does it: _NONE_BUT), says the changelog or a comment
    claims what the diff does not do (_CLAIM_BELIED), or grants a case and denies another (_FINE_FOR). A question
    says none."""
    s = sentence.strip()
    if not s or s.endswith("?"):
        return False
    if (held := _HELD_IF().search(s)) is not None and _UNMET().search(s, held.end()) is not None:
        return True
    return any(p().search(s) is not None for p in (_CLAIM_BELIED, _FINE_FOR, _NONE_BUT))


def flaw_if(sentence: str) -> str | None:
    """The main clause of ``sentence`` when it opens with a condition of the code's own run and the clause after it
    speaks of the code (_OPENING): its flaw words are the reviewer's finding; None otherwise (_SENDERS)."""
    m = _OPENING().match(sentence.strip())
    if m is None or _SENDERS().search(m.group("cond")) or _SENDERS().search(m.group("main")):
        return None
    return m.group("main")
