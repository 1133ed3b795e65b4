"""A flaw a reviewer states by its shape, with no word of a flaw: "The printed leaf is not the leaf that failed."."""

from __future__ import annotations

import re
from collections.abc import Callable

from harness.deedwords import denied_before
from harness.misfitwords import errno_misfit, format_misfit
from models.lazyre import lazy

# Why: harness.concernwords reads a flaw by its words ("wrong", "leaks") and harness.deedwords by a verb of a wrong
# doing ("hides the error"); a reviewer states as many by naming what the code does and what it should do, with
# neither: "There is no way for the caller to distinguish -EBUSY from a real error.", "The printed leaf is not the
# leaf that failed.", "It dereferences args before the NULL check.", "The helper returns -EINVAL for a busy module.",
# "The format string prints a pointer as an int.", "It calls the helper with preemption enabled.", "This unlocks a
# lock it never took." (each READY, exit 0, before). Each shape is read with what makes it a flaw: an ability the
# code's user lacks (not "no way this can fail"), a thing and the one it should be, a use before its check, a format
# or an errno that does not fit the type or the case it names (lib/vsprintf.c; errno-base.h's meanings), a context
# the callee must not run in, a lock or a reference released that was never taken. harness.concernwords' exclusions
# apply first (a question, a condition, the flaw fixed, the past's, the sender's own, conceded); a negator before the
# shape in its clause denies it, and a verdict of fine beside it ("..., as it should.", "which is right") grants it.

# What the code's user may be unable to do: "no way for the caller to distinguish", "Nothing lets the caller retry",
# "The caller has no way to know". Not a way for the code to reach a state ("There is no way for the caller to get
# here with NULL.": an assurance).
# Not a tell of a source alone: "No way to tell from the log." says what the log lacks.
ABILITY = (r"tell(?!\s+from\s+(?:the\s+|a\s+)?[\w-]+(?:\s+[\w-]+)?\s*(?:[.;,]|$))|know|distinguish|differentiate|"
           r"detect|recover|retry|find\s+out|learn|report|undo|roll\s+back|"
           r"abort|cancel|opt\s+out|override|disable|query|notice|react|unload|reload|figure\s+out|propagate|debug|"
           r"identify|see\s+(?:the|which|what|whether|if|why)|handle|clean\s+up|unwind")
_WHO = (r"(?:the\s+|a\s+|an\s+|any\s+)?(?:callers?|users?|userspace|user\s+space|admins?|administrators?|drivers?|"
        r"kernel|host|guest|vmm|tools?|operators?|kvm|firmware|code)")
_NO_WAY = (r"\bno\s+(?:(?:good|sane|clean|reliable|easy)\s+)?(?:way|means|mechanism|interface|knob|option)\s+"
           r"(?:for\s+(?:[\w()-]+\s+){1,3}?)?to\s+(?:(?:ever|even|reliably|easily|safely|actually|then)\s+)?(?:"
           + ABILITY + r")\b"
           r"|\bnothing\s+(?:lets|allows|enables|tells|informs)\s+(?!(?:me|us|you)\b)(?:[\w()-]+\s+){1,3}?(?:to\s+)?"
           r"(?:" + ABILITY + r")\b"
           # "Nothing tells the caller that the update was skipped."
           r"|\bnothing\s+(?:tells|informs|warns|notifies)\s+" + _WHO + r"\s+(?:that|when|whether|if|about)\b"
           r"|\b" + _WHO + r"\s+(?:then\s+|still\s+)?(?:cannot|can['’]t|can\s+not|is\s+unable\s+to|are\s+unable\s+to|"
           r"won['’]t\s+be\s+able\s+to|is\s+not\s+able\s+to|has\s+no\s+way\s+to|have\s+no\s+way\s+to)\s+"
           r"(?:(?:ever|even|reliably|easily|safely|actually|then)\s+)?(?:" + ABILITY + r")\b")
# An ability told of in the changelog's or a comment's words is no flaw: "The changelog explains why the caller cannot
# retry."
_NO_WAY_P = lazy(_NO_WAY, re.I)
_TOLD = lazy(r"\b(?:explains?|explained|documents?|documented|says?|said|notes?|describes?|mentions?|tells)\s+"
             r"(?:why|that|how)\b[^,;:.!?]*$", re.I)

# A thing and the one it should be, told apart: "The printed leaf is not the leaf that failed.", "The cpu you pick
# is not the cpu that holds the lock." Its subject a thing of the code, not "it" of a cleft ("It's not the patch that
# breaks boot.") nor the patch, the place or the only one ("This is not the only caller that ...").
_NOT_THE = (r"^\W*(?:(?:the|your|its|our|this|that)\s+(?:[\w()>.-]+\s+){1,5}?|\w+(?:\(\)|_\w+)\s+)"
            r"(?:is\s+not|isn['’]t|are\s+not|aren['’]t)\s+the\s+"
            r"(?!(?:only|first|last|whole|same\s+as|patch|commit|series|change|case|point|place|way|time|right\s+time|"
            r"reason|problem|issue|one\s+to\s+blame)\b)(?:[\w()-]+\s+){0,2}?[\w()-]+\s+"
            r"(?P<rel>that|which|who|whose|we|you|it|they|the\s+[\w-]+)\s+(?!(?:is|are)\s+(?:fine|ok|right)\b)\w+")
_RELATIVE = lazy(_NOT_THE + r"[^,;:.!?]*", re.I)


def tense_free(sentence: str) -> tuple[int, int] | None:
    """The span of a clause a flaw's shape holds whose tense is no past of the flaw: the relative clause naming the
    thing a subject should be (_NOT_THE: "... is not the size that was allocated"), or what the code's user cannot
    learn (_NO_WAY: "The caller has no way to know the update was only partially applied."); None when none."""
    if (m := _RELATIVE().search(sentence)) is not None:
        return m.start("rel"), m.end()
    if (m := _NO_WAY_P().search(sentence)) is not None:
        end = re.search(r"[,;:.!?]", sentence[m.end():])
        return m.end(), m.end() + end.start() if end else len(sentence)
    return None


# A correction stated: "the virtual one, not the physical one", "to the stack copy, not to the caller's struct",
# "%llx, not %lx: this is a u64.", "size_t is printed with %zu, not %d.", "before the access, not after", "bit 31,
# not bit 63 as the spec says". Not one the sentence grants (_GRANTED: "%zu, not %d, is what v3 uses now, good.").
# Not a bare number ("Patch 3, not 2." names which patch), nor a preposition not said again ("quotes of the mail,
# not the replier's words" describes), nor a version ("set in v2, not in v2:01").
_CODE_TOKEN = (r"(?:%[-+ #0]*\d*(?:\.\d+)?[a-zA-Z]{1,4}|-E[A-Z0-9]+|0x[0-9a-fA-F]+|(?:bit|bits|byte|bytes)\s+\d+|"
               r"[us](?:8|16|32|64)|(?:unsigned\s+)?(?:long\s+long|long|int|char|short)|size_t|ssize_t|bool|"
               r"\w+\(\)|\w+_\w+)")
_CORRECTED = (r"\bthe\s+[\w-]+\s+(?:[\w-]+\s+)?(?:one|\w+),\s+not\s+the\s+[\w-]+\s+one\b"
              r"|\b(?P<prep>to|into|onto|in|from|of|on)\s+(?:the\s+|a\s+|an\s+)?[\w'’()>.-]+(?:\s+[\w'’()>.-]+){0,2},\s+"
              r"not\s+(?P=prep)\s+(?:the\s+|a\s+|an\s+)?(?!v\d)[\w'’()>.-]+"
              r"|(?<![\w%-])" + _CODE_TOKEN + r",?\s+not\s+(?:a\s+|an\s+)?" + _CODE_TOKEN + r"(?![\w(])"
              r"|\b(?:before|after)\b[^.;!?]*?,?\s+not\s+(?:after|before)\b"
              r"|,\s+not\s+[^,;.!?]+?\s+as\s+(?:the\s+)?(?:spec|sdm|manual|documentation|docs?|abi|comment|changelog|"
              r"datasheet|header)\s+(?:says|requires|documents|states|defines)\b")

# A use before its check or its lock, or after the check's place: "It dereferences args before the NULL check.",
# "The length is used before it is validated.", "The index is checked after it has already been used.", "You read
# hdr->size and only then check hdr.", "The lock is taken after the list is walked.", "You free the buffer and then
# print its contents." (not "The check now happens before the access.", "The length is validated before it is used.").
_USE = (r"(?:dereferenc\w+|us(?:es|ed|ing)|use|reads?|reading|accesse[sd]|access(?:ing)?|touch(?:es|ed|ing)?|"
        r"index(?:es|ed|ing)?|cop(?:ies|ied|y)|writes?|written|passe[sd]|pass|walk(?:s|ed)?)")
_ORDER = (r"\b" + _USE + r"\b[^.;!?]{0,40}?\bbefore\s+(?:the|its|any|a|an)\s+(?:[\w()-]+\s+){0,2}?(?:check|test|"
          r"validation|lock(?:ing)?)\b(?!\s+(?:is|was)\s+(?:dropped|released))"
          r"|\b(?:is|are|gets?|was)\s+(?:used|read|dereferenced|accessed|indexed|copied|written|passed)\s+before\s+"
          r"(?:it|they|\w+)\s+(?:is|are|has\s+been|have\s+been|gets?|was)\s+(?:checked|validated|verified|tested|"
          r"sanitized|sanitised|bounds-checked|locked)\b"
          r"|\b(?:checked|validated|verified|tested|locked|taken|acquired)\s+(?:only\s+)?after\s+(?:[\w()>.-]+\s+)?"
          r"(?:it|they|\w+)?\s*(?:has|have|is|are|was|were|had)?\s*(?:already\s+)?(?:been\s+)?(?:used|read|"
          r"dereferenced|accessed|indexed|copied|walked|written|modified)\b"
          r"|\b(?:and|,)\s+only\s+then\s+(?:checks?|tests?|validates?|verif(?:y|ies)|locks?|takes?\s+the\s+lock)\b"
          r"|\bfree(?:s|d)?\b[^.;!?]{0,40}?\b(?:and\s+)?then\s+(?:prints?|reads?|uses?|access(?:es)?|dereferences?|"
          r"touch(?:es)?|writes?)\b"
          # "You drop the lock and then touch the list."
          r"|\b(?:drop(?:s|ped)?|releas(?:es?|ed)|unlock(?:s|ed)?)\s+the\s+(?:\w+\s+)?(?:lock|mutex|spinlock)\s+"
          r"(?:and\s+)?then\s+(?:touch(?:es)?|reads?|walks?|uses?|access(?:es)?|modif(?:y|ies)|writes?)\b")

# A return value left unlooked at: "You're ignoring the return value of regulator_enable().", "The return value of
# seamldr_call() is dropped on the floor.", "The result of tdx_module_init() is never looked at."
_IGNORED = (r"\bignoring\s+(?:the|its|a|any|their)\s+(?:[\w()-]+\s+){0,2}?(?:return\s+(?:values?|codes?)|results?|"
            r"errors?|errnos?|status|failures?)\b"
            r"|\b(?:dropped|thrown|tossed|ignored)\s+on\s+the\s+floor\b"
            r"|\b(?:return\s+(?:values?|codes?)|results?|errors?|status|ret|rc|err)\b[^.;!?]{0,40}?\b(?:is|are|gets?)\s+"
            r"(?:never|not)\s+(?:looked\s+at|checked|tested|examined|propagated|inspected|consulted|acted\s+on)\b"
            # What the sentence names as due, never done: "It is in ms, but msecs_to_jiffies() is never applied."
            r"|\bbut\s+(?:the\s+)?[\w()]+\s+(?:is|are)\s+never\s+(?:applied|called|used|done|run|invoked)\s*(?:[.;,!]|$)")

# A lock or a reference released that was never taken, or kept on a way out: "This unlocks a lock it never took.",
# "On failure you return without dropping the reference.", "The counter goes negative."
_HELD = (r"(?:lock|mutex|spinlock|semaphore|rwsem|references?|refs?|refcount|\w+_lock(?:\(\))?|page|buffer|node|"
         r"device)")
_UNBALANCED = (r"\b(?:unlock(?:s|ed|ing)?|releas(?:es|ed|ing)|drop(?:s|ped|ping)?|puts?|putting|frees?|freeing)\s+"
               r"(?:a|the|an|its)\s+(?:[\w()-]+\s+)?" + _HELD + r"\s+(?:that\s+)?(?:it|we|you|this\s+\w+|the\s+\w+)\s+"
               r"(?:never|didn['’]t|did\s+not|has\s+not|hasn['’]t|doesn['’]t|does\s+not)\s+(?:\w+\s+)?(?:took|take|"
               r"taken|acquired?|got|get|gotten|grab(?:bed)?|held|hold|allocated?|own(?:ed)?)\b"
               r"|\b(?:return(?:s|ing)?|bail(?:s|ing)?(?:\s+out)?|exit(?:s|ing)?|leav(?:es|ing))\s+without\s+"
               r"(?:dropping|releasing|putting|unlocking|freeing|undoing)\s+(?:the|a|its|that|this)\b"
               r"|\b(?:never|forgets\s+to)\s+(?:drops?|puts?|releases?|unlocks?|frees?)\s+(?:it|them|the\s+" + _HELD
               + r")\b|\b(?:goes|go|going|can\s+go|will\s+go|becomes?|ends\s+up|turns?)\s+negative\b")

# A context the callee must not run in: "It calls the helper with preemption enabled.", "It calls vmalloc(), which
# can sleep, under stop_machine()." (not "This is safe to call with preemption enabled.").
# A callee called so, not code that runs so ("This runs with preemption enabled." reminds as often as it objects).
_CONTEXT = (r"\b(?:calls?|called|calling|invok(?:es?|ed|ing))\b"
            r"[^.;!?]{0,40}?\bwith\s+(?:preemption|interrupts|irqs|bh|bottom\s+halves|migration|softirqs|"
            r"page\s+faults)\s+(?:still\s+)?enabled\b"
            r"|\b(?:under|inside|within|from)\s+(?:the\s+|an?\s+)?(?:stop_machine\(\)|(?:(?:irq|interrupt|nmi|ipi)\s+"
            r"handler|atomic\s+context|(?:\w+\s+)?spin\s?lock)\b)[^.;!?]{0,60}?\b(?:which|that)\s+(?:can|may|might|"
            r"will)\s+sleep\b|\b(?:which|that)\s+(?:can|may|might|will)\s+sleep\b[^.;!?]{0,60}?\b(?:under|inside|"
            r"within|from)\s+(?:the\s+|an?\s+)?(?:stop_machine\(\)|(?:(?:irq|interrupt|nmi|ipi)\s+handler|atomic\s+"
            r"context|(?:\w+\s+)?spin\s?lock)\b)")
# A context named as one the callee may run in: "This is safe to call with preemption enabled."
_MAY_RUN = lazy(r"\b(?:safe|fine|ok|okay|allowed|designed|meant|able|can|may|must|should|needs?|has)\s+(?:to\s+)?"
                r"(?:be\s+)?$", re.I)

# What in the sentence grants the shape: "It returns -EBUSY for a busy module, as it should.", "which is right",
# "..., good.", "The offset is into the module, not the page, which matches the spec."
GRANTED = lazy(r"\b(?:as\s+(?:it|they|we|you)\s+should|as\s+(?:intended|expected|documented|required|designed)|"
               r"which\s+(?:is|was)\s+(?:\w+\s+)?(?:right|correct|fine|ok|okay|good|expected|intended|what)\b|"
               r"which\s+matches|matches\s+(?:the|what)|(?:is|looks|seems)\s+(?:\w+\s+)?(?:right|correct|fine|good|"
               r"consistent)\b|consistent|good|fine|great|nice|thanks|thank\s+you|correct(?:ly)?|on\s+purpose|"
               r"deliberately|intentionally|by\s+design|that['’]s\s+what\s+(?:it|the\s+\w+|we|this)\s+(?:returns|does|"
               r"uses|prints|gives)|so\s+(?:it|that|we|the\s+\w+)\s+(?:may|can|is\s+allowed\s+to)\s+(?:sleep|block|"
               r"allocate))\b", re.I)
# A correction of where the patch goes or was tested, not of its code: "This goes to x86, not to mm.", "I tested it on
# SPR, not on EMR."
_NOT_CODE = lazy(r"\b(?:go(?:es)?|went|rout(?:e|es|ed|ing)|sent|send|tested|test|ran|run|boot(?:s|ed)?|appl(?:y|ied)|"
                 r"merged?|queued?|take|taken|belongs?)\b[^,;:.!?]*$", re.I)


# Two halves of a pair compared or mixed, one where the other belongs: "The version check compares the minor number
# against the major limit.", "It checks the upper bound against the lower limit."
_PAIRS = (("minor", "major"), ("lower", "upper"), ("low", "high"), ("min", "max"), ("minimum", "maximum"),
          ("start", "end"), ("src", "dst"), ("source", "destination"), ("read", "write"), ("rx", "tx"),
          ("virtual", "physical"), ("host", "guest"), ("first", "last"), ("signed", "unsigned"), ("width", "height"))
# Each side up to a turn: "... the major against the major limit and the minor against the minor one." pairs none.
_COMPARED = lazy(r"\bcompar(?:es?|ed|ing)\s+(?P<a>[^.;!?,]{1,40}?)\s+(?:against|with|to)\s+"
                 r"(?P<b>(?:(?!\b(?:and|but|or|while|whereas)\b)[^.;!?,]){1,40})", re.I)


def _mismatched(sentence: str) -> bool:
    for m in _COMPARED().finditer(sentence):
        a, b = set(m.group("a").lower().split()), set(m.group("b").lower().split())
        if not denied_before(sentence, m.start()) \
                and any((x in a and y in b) or (y in a and x in b) for x, y in _PAIRS):
            return True
    return False


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_CONTEXT_P, _CORRECTED_P = lazy(_CONTEXT, re.I), lazy(_CORRECTED)
# Each shape with the words one of which it holds (harness.deedwords' reason: a look at the words is cheap).
_FAMILIES = (
    (_words("way means mechanism interface knob option nothing cannot can't can unable able"), _NO_WAY_P),
    (_words("not isn't aren't isn aren"), lazy(_NOT_THE, re.I)),
    (_words("not"), _CORRECTED_P),
    (_words("before after then"), lazy(_ORDER, re.I)),
    (_words("ignoring floor never not"), lazy(_IGNORED, re.I)),
    (_words("never without forgets negative"), lazy(_UNBALANCED, re.I)),
    (_words("enabled sleep"), _CONTEXT_P),
)
_TRIGGERS = frozenset().union(*(triggers for triggers, _ in _FAMILIES))
_TOKENS = lazy(r"[a-z0-9_'’]+")


def shape_stated(sentence: str, whole: str | None = None) -> bool:
    """Whether ``sentence`` states a flaw by its shape (an ability the code's user lacks, a thing not the one it should
    be, a correction, a use before its check, a return value ignored, a lock or a reference unbalanced, a context the
    callee must not run in, a format that does not fit its type, an errno that does not fit its case), not denied
    before it in its clause nor granted in the sentence. harness.concernwords has left out questions, conditions and
    the flaws fixed, past or the sender's own, and passes the sentence with its conditions cut out; ``whole``, the
    sentence with them, is where an errno's case is read ("It returns -EINVAL if the module is busy.")."""
    lower = sentence.lower()
    words = set(_TOKENS().findall(lower))
    shaped = not words.isdisjoint(_TRIGGERS)
    if not (shaped or "compar" in lower or "%" in sentence or "print" in lower or "-E" in (whole or sentence)) \
            or GRANTED().search(sentence):
        return False
    return (shaped and _said(sentence, _FAMILIES, words)) or ("compar" in lower and _mismatched(sentence)) \
        or format_misfit(sentence) or errno_misfit(whole or sentence)


def _said(sentence: str, families: tuple[tuple[frozenset[str], Callable[[], re.Pattern[str]]], ...],
          words: set[str]) -> bool:
    for triggers, pattern in families:
        if words.isdisjoint(triggers):
            continue
        for m in pattern().finditer(sentence):
            if not denied_before(sentence, m.start()) and not _TOLD().search(sentence, 0, m.start()) \
                    and not (pattern is _CONTEXT_P and _MAY_RUN().search(sentence, 0, m.start())) \
                    and not (pattern is _CORRECTED_P and _NOT_CODE().search(sentence, 0, m.start())):
                return True
    return False
