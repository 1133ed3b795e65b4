"""A flaw of the patch a reviewer tells by a verb of what the code does wrong: "This hides the failure."."""

from __future__ import annotations

import re
from collections.abc import Callable

from models.lazyre import lazy

# Why: harness.concernwords reads a flaw by its words ("wrong", "racy", "leaks", "not needed"), and a reviewer tells
# as many by what the code does: "This masks the real error.", "It throws away the upper bits.", "The counter
# wraps.", "It prints the message twice.", "It returns success even when the SEAMCALL failed.", "It sleeps in atomic
# context." (of 13 such sentences a new user wrote in round 65, 12 left the gate READY). A verb of a doing, so each is
# read with what it does it to: "hides the error", not "hides the helper in a header"; "drops the top bits", not
# "drops the lock". harness.concernwords' exclusions apply first (a question, a condition, the flaw fixed, the past's,
# the sender's own, conceded); a negator before the verb in its clause denies it ("This no longer hides the error.").

# What a flaw hides or loses: an error or its cause, a status, a value's bits.
_DET = r"(?:(?:the|its|a|an|any|all|this|that|their|our|every|each|some|(?:the\s+)?[\w()]+['’]s)\s+)?"
_ADJ = r"(?:[\w()-]+\s+){0,3}?"
_FAULT = r"(?:errors?|failures?|error\s+codes?|errnos?|causes?|problems?|bugs?|races?|issues?|warnings?|faults?)\b"
_ERROR = (r"(?:" + _FAULT + r"|status(?:es)?|return\s+(?:values?|codes?)|ret|err|rc|results?|(?-i:-E[A-Z]+|"
          r"[A-Z]+_[A-Z_]+))\b")
_BITS = r"(?:bits?|half|halves|sign|precision|information|info|(?:upper|lower|high|low|top)\s+(?:word|dword|bytes?))\b"
# "This hides the failure.", "It masks the real error.", "The message hides which leaf failed.", "It eats -EBUSY."
# A mask of a status or its bits is code's own doing ("code masking a status with TDX_STATUS_MASK").
_HIDES = (r"\b(?:(?:hid(?:es?|den|ing)?|obscur(?:es?|ed|ing)|bur(?:y|ies|ied|ying)|eat(?:s|en|ing)?|"
          r"swallow(?:s|ed|ing)?)\s+(?:away\s+|up\s+)?(?:" + _DET + _ADJ + _ERROR + r")|(?:hid(?:es?|den|ing)?|"
          r"mask(?:s|ed|ing)?|obscur(?:es?|ed|ing))\s+(?:" + _DET + _ADJ + _FAULT
          + r"|which|what|whether|where|why|the\s+fact|(?:a|an|the|any)\s+(?:failed|failing|broken)\b))")
# "This drops the top 32 bits of the status.", "It throws away the upper bits.", "It clobbers ret.", "The status gets
# overwritten." (not "drops the lock", "drops patch 3", "I dropped the ret variable in v3").
# What is lost is a value, not a message or a check the patch removes ("This patch drops the warning.", "drops the
# status check").
_VALUE = (r"(?:errors?|error\s+codes?|errnos?|status(?:es)?|return\s+(?:values?|codes?)|ret|err|rc|results?|"
          r"(?-i:-E[A-Z]+|[A-Z]+_[A-Z_]+))\b(?!\s+(?:messages?|prints?|logs?|lines?|strings?|paths?|labels?|handling|"
          r"checks?|variables?|vars?|macros?|helpers?|tests?)\b)")
_LOSES = (r"\b(?:drop(?:s|ped|ping)?|discard(?:s|ed|ing)?|throw(?:s|n|ing)?\s+away|threw\s+away|"
          r"chop(?:s|ped|ping)?\s+off|cut(?:s|ting)?\s+off|strip(?:s|ped|ping)?(?:\s+off)?|los(?:es?|ing|t)|"
          r"clobber(?:s|ed|ing)?|overwrit(?:es?|ten|ing)|trash(?:es|ed|ing)?)\s+" + _DET + _ADJ + r"(?:" + _VALUE
          + r"|" + _BITS + r")"
          r"|\b(?:gets?|got|is|are|will\s+be|can\s+be|being)\s+(?:silently\s+|simply\s+|then\s+)?(?:overwritten|"
          r"clobbered|discarded|thrown\s+away|trashed|chopped\s+off)\b|\bclobber(?:s|ed|ing)?\b"
          # Part of a value kept, or a wide one narrowed: "It only keeps the low 32 bits.", "This casts the 64-bit
          # status to int."
          r"|\b(?:only\s+keeps?|keeps?\s+only)\s+(?:the\s+)?(?:low(?:er)?|bottom|first|last)\s+(?:\d+\s+)?(?:bits?|"
          r"bytes?|half)\b|\b(?:casts?|stores?|assigns?|puts?|truncates?|narrows?)\s+(?:the\s+|a\s+|an\s+)?(?:\w+\s+)?"
          r"(?:64-?bit|u64|s64|unsigned\s+long(?:\s+long)?|long(?:\s+long)?)\b(?:\s+\w+)?\s+(?:to|in|into)\s+(?:an?\s+)?"
          r"(?:int|u32|s32|u16|s16|u8|s8|unsigned(?:\s+int)?|short|char|32-?bit\s+\w+)\b")
# A number's own wrap, not a line's nor a wrapper's ("a long path wraps", "what it wraps", "wraps the call").
_WRAPS = (r"(?:(?<!\bwhat\s)(?<!\bwhich\s)(?<!\bthat\s)\b(?:counter|count|index|idx|value|val|variable|var|"
          r"[us](?:8|16|32|64)|int|integer|unsigned|signed|char|short|long|sum|total|offset|size|len|length|number|"
          r"retries|tries|jiffies|timeout|seq\w*|\w+_\w+|'\w+')|^\W*(?:it|this|that))\s+(?:(?:can|could|will|would|may|"
          r"might|then|just|quickly|silently)\s+)?wrap(?:s|ped)?\b(?:\s+around)?(?!\s+(?:the|a|an|it|its|this|that|"
          r"them|around\s+(?:the|a|an|it))\b)(?!\s+(?:at|after|past)\s+\d+\s*(?:col|char))|\bwrap(?:s|ped)?\s+around\s+"
          r"(?:at|after|past|to)\b|\bwrap[\s-]?around\b(?!\s+(?:the|a|an|it)\b)|\bsign[\s-]?extend(?:s|ed|ing)?\b|"
          r"\bsign[\s-]?extension\b|\blos(?:es?|ing|t)\s+(?:\w+\s+)?precision\b")
# Counted wrong: "It prints the message twice.", "The warning fires on every retry.", "It frees the buffer twice."
_PRINT = (r"(?:print(?:s|ed|ing)?|log(?:s|ged|ging)?|warn(?:s|ed|ing)?|fir(?:es?|ed|ing)|emit(?:s|ted|ting)?|"
          r"report(?:s|ed|ing)?|dump(?:s|ed|ing)?|spew(?:s|ed|ing)?|show(?:s|n|ed|ing)?)")
# The words between a verb and its count hold no other verb's clause ("prints the status - retry 16 times").
_GAP = r"(?:(?!\b(?:and|then|or|but|so|retr\w*|loop\w*)\b)[^,;.!?:()-]){0,40}?"
_TWICE = (r"\b(?:" + _PRINT + r"|(?:take|acquire|grab|lock|unlock|release|free|put|get|call|increment|"
          r"decrement|count|add|register|init|initialize|initialise|read|write|execute|issue|submit)(?:s|es|d|ed|"
          r"ing)?|took|wrote)\b" + _GAP + r"(?<!\bat\smost\s)(?<!\bonly\s)(?<!\bonce\sor\s)\b(?:twice|thrice|"
          r"(?:two|three|four|several|multiple|many)\s+times)\b(?!\s+(?:faster|slower|less|more|as)\b)"
          # Twice on purpose: "We call it twice: once to probe, once to load."
          r"(?![^.;]*\bonce\s+(?:for|to|in|on|at|with|when|per|before|after)\b)"
          r"|\b" + _PRINT + r"\b" + _GAP + r"\b(?:on|for|after|in)\s+(?:every|each)\s+(?:single\s+)?(?:retry|retries|"
          r"attempt|iteration|loop|call|cpu|try|pass|failure|error|boot|busy)\b|\bonce\s+per\s+(?:cpu|retry|attempt|iteration|call|"
          r"try)\s+(?:instead|rather)\b")
# Success told of a failure: "It returns success even when the SEAMCALL failed.", "This reports success on failure."
# The failure is in the words of the condition itself ("returns 0 on success and -EIO on failure" tells none).
_SUCCESS = (r"\b(?:returns?|returning|reports?|reporting|claims?|signals?|tells?\s+the\s+caller)\s+(?:0|zero|success|"
            r"true|ok|okay)\b\s+(?:\w+\s+){0,2}?(?:even\s+)?(?:when|if|on|for|after|although|though|despite|while)\s+"
            r"(?:(?!(?:and|or|but|success\w*|succe\w*)\b)[\w()-]+\s+){0,5}?(?:fail\w*|errors?|time[sd]?\s+out|timeout|"
            r"aborted|broke\w*)\b"
            r"|\b(?:treats?|counts?|reports?|reported|treated|counted|seen)\s+(?:an?\s+|the\s+|any\s+)?(?:\w+\s+)?"
            r"(?:failure|error)s?\s+as\s+(?:a\s+)?success\b|\b(?:failure|error)s?\s+(?:\w+\s+){0,2}(?:is|are)\s+"
            r"(?:reported|treated|counted|seen)\s+as\s+(?:a\s+)?success\b")
# Sleeping or spinning where it must not: "It sleeps in atomic context.", "This calls msleep() under a spinlock.",
# "This spins with interrupts disabled." (not "It sleeps only outside the lock.").
_ATOMIC = (r"(?:\b(?:sleep(?:s|ing)?|slept|(?:may|might|can|could|will)\s+sleep|GFP_KERNEL|spin(?:s|ning)?|"
           r"busy[\s-]?(?:wait|loop|poll)(?:s|ing|ed)?|block(?:s|ing)?)\b|\b(?:msleep|usleep_range|ssleep|schedule|"
           r"schedule_timeout\w*|mutex_lock\w*|down|wait_for_\w+|kmalloc|kzalloc|kvmalloc|vmalloc|copy_(?:from|to)_user|"
           r"cond_resched|might_sleep)\(\))[^.;]{0,50}?(?<!\bonly\s)(?<!\boutside\s)\b(?:in\s+(?:an?\s+)?atomic\s+context|"
           # A lock by a bare name may be a mutex: "It sleeps under the mutex lock." is no flaw.
           r"(?:under|inside|within|while\s+holding)\s+(?:a\s+|the\s+)?(?:\w+\s+)?(?:spin\s?lock|raw_spin\w*|rcu\w*|"
           r"\w*spin_lock\w*(?=\(\)))|with\s+(?:irqs|interrupts|preemption|bh)\s+(?:disabled|off)|from\s+(?:an?\s+|the\s+)?"
           r"(?:irq|interrupt|atomic|nmi|softirq|hardirq|ipi|timer)\s+(?:context|handler|callback)"
           # "This code calls schedule() with a spinlock held."
           r"|with\s+(?:a\s+|the\s+)?(?:\w+\s+)?(?:spin\s?lock|raw_spin\w*|rcu_read_lock\(\)|rcu\s+read\s+lock|"
           r"\w*spin_lock\w*\(\))\s+(?:still\s+)?held)\b"
           r"|\bbusy[\s-]?(?:wait|loop|poll)(?:s|ing|ed)\b|\bspin(?:s|ning)?\s+(?:\w+\s+)?(?:forever|endlessly|"
           r"indefinitely|for\s+(?:seconds|minutes|ever|a\s+long\s+time|up\s+to))\b")
# A stall of the machine: "It stalls the CPU for seconds.", "This blocks boot if the module never answers."
_STALLS = (r"\b(?:stall(?:s|ed|ing)?|block(?:s|ed|ing)?|delay(?:s|ed|ing)?|hog(?:s|ged|ging)?|starv(?:es|ed|ing)|"
           r"holds?\s+up|wedg(?:es|ed|ing)|lock(?:s|ed)?\s+up)\s+(?:the\s+|this\s+|that\s+|other\s+|all\s+)?"
           r"(?:\w+\s+)?(?:cpus?|boot(?:ing)?|system|machine|box|kernel|scheduler|rcu|host|guest)\b(?!\s+from\b)")
# Not telling apart: "The caller cannot tell BUSY from a real failure.", "You can't tell which CPU failed."
# What is told apart is named, two things or a question ("No way to tell from the log." says only what the log lacks).
_CANT_TELL = (r"\b(?:can['’]?t|cannot|can\s+not|couldn['’]t|no\s+way\s+to|unable\s+to|impossible\s+to|"
              r"hard\s+to)\s+(?:\w+\s+)?(?:distinguish|differentiate|tell\s+(?:from\s+[^,;.]*?\s+)?(?:which|what|"
              r"whether|if|who|where|when|why|how|apart|the\s+difference|(?:[\w-]+\s+){1,4}?(?:(?:from|and)\s|apart\b)))")
# Retrying what will not pass: "It retries on every error, not just busy.", "This keeps retrying even after a fatal
# error." (not "It retries only on busy.").
_RETRIES = (r"\bretr(?:y|ies|ying|ied)\b[^.;]{0,30}?(?<!\bonly\s)\b(?:on|after|for)\s+(?:every|any|all|each)\s+"
            r"(?:\w+\s+)?(?:errors?|failures?|status(?:es)?|codes?)\b|\bretr(?:y|ies|ying)\s+(?:\w+\s+)?(?:fatal|"
            r"permanent|non-?transient|unrecoverable|real)\b|\beven\s+after\s+(?:a|an|the)\s+(?:fatal|permanent|real|"
            r"non-?transient|unrecoverable)\b")
# Use before it is ready or after it is gone: "It reads the status before the call has written it.", "This uses
# the value after it's freed.", "It writes past the end of the array.", "The function returns with the lock held."
_ORDER = (r"\b(?:reads?|uses?|checks?|tests?|prints?|returns?|dereferences?|accesses?|touches?)\b[^.;]{0,40}?\bbefore"
          r"\s+(?:\w+\s+){0,3}?(?:(?:has|have|is|are|gets?)\s+(?:been\s+)?)?(?:written|set|initiali[sz]ed|filled|assigned|"
          r"computed|validated|locked)\b"
          r"|\b(?:uses?|reads?|dereferences?|accesses?|touches?)\b[^.;]{0,40}?\bafter\s+(?:it['’]s|it\s+is|it\s+has\s+"
          r"been|being|they['’]re|they\s+are)\s+(?:freed|released|put|unmapped)\b"
          r"|\b(?:writes?|reads?|accesses?|indexes|copies|runs?|walks?|goes)\s+(?:\w+\s+)?(?:past|beyond|off)\s+the\s+"
          r"end\b|\breturns?\s+with\s+(?:the\s+|a\s+)?(?:\w+\s+)?(?:lock|mutex|spinlock|\w+_lock|irqs?|interrupts|"
          r"preemption|rcu\w*)\s+(?:still\s+)?(?:held|taken|locked|disabled|off)\b")
# A loud level for what is expected: "The message goes out at KERN_ERR for an expected condition.", "WARN_ON() for a
# transient failure".
_LEVEL = (r"\b(?:pr_err|pr_warn\w*|pr_crit|pr_emerg|pr_alert|dev_err|dev_warn|KERN_(?:ERR|WARNING|CRIT|EMERG|ALERT)|"
          r"WARN\w*|BUG\w*|panic|errors?|warnings?|splats?)\b[^.;]{0,30}?\bfor\s+(?:an?\s+|the\s+)?(?:\w+\s+)?"
          r"(?:expected|normal|benign|harmless|transient|recoverable|routine|common|retryable)\s+(?:\w+\s+)?"
          r"(?:condition|case|error|situation|event|failure|state|path|status|busy)")
# A comment or a message that lies, a text that says one thing while the code does another, a unit taken for
# another: "The comment lies.", "The Subject says retry but the code gives up.", "... but the code treats it as
# milliseconds." (not "The difference lies in the caller.").
_LIES = (r"\blies\b(?!\s+(?:in|within|at|on|with|between|behind|elsewhere|outside|inside|here|there|beyond|around|"
         r"ahead|down|low|dormant|idle|upstream|downstream)\b)|\b(?:is|are)\s+(?:a\s+)?(?:lie|lying)\b(?!\s+around)"
         r"|\b(?:says?|claims?|promises?|states?)\b[^.;]{1,60}?\bbut\s+(?:(?:the\s+|this\s+)?(?:code|patch|function|"
         r"helper|loop|implementation|check|test|condition|mask|macro|constant|define|limit|computation)\b(?!\s+(?:now|also|too|agrees)\b)(?!\s+does\s+(?:too|so|that|the\s+same)\b)|it\s+(?!(?:is|was|isn['’]t|"
         r"wasn['’]t|does|did|doesn['’]t|didn['’]t|now)\b)(?!['’]s\b)\w+s\b)"
         # A comment or a text of what is gone: "The comment describes the old behaviour."
         r"|\b(?:describes?|documents?|refers?\s+to|mentions?|talks\s+about)\s+(?:the\s+)?(?:old|previous|former|"
         r"removed)\s+(?:behaviou?r|code|loop|semantics|name|helper|logic|flow|api|interface)\b"
         r"|\bbut\s+(?:the\s+|this\s+)?(?:code|patch|function|helper|caller|loop|it)\s+(?:treats|uses|reads|"
         r"interprets|passes|converts)\s+(?:it|them|this|that)\s+as\b")
# Bringing a fixed bug back: "It brings back the bug that 1234abcd5678 fixed.", "This undoes the fix from commit
# 0123456789ab." (the other commit's fix is read as OTHER_FIX by concernwords, so "fix" does not read as this one's).
_REVIVES = (r"\b(?:brings?\s+back|brought\s+back|resurrect(?:s|ed|ing)?|reviv(?:es|ed|ing)|re-?open(?:s|ed|ing)?|"
            r"re-?adds?)\s+(?:the|a|an|that|this|our|its)\s+(?:\w+\s+)?(?:bug|problem|issue|race|hang|leak|crash|"
            r"regression|deadlock|splat|warning|breakage|OTHER_FIX)\b|\b(?:undo(?:es|ing)?|undid|defeat(?:s|ed|ing)?|"
            r"break(?:s|ing)?|revert(?:s|ed|ing)?|los(?:es?|ing)|drop(?:s|ped|ping)?)\s+(?:\w+\s+){0,2}?OTHER_FIX\b")
# A negator before the deed in its clause denies it: "This no longer hides the error.", "Nothing is overwritten
# anymore.", "It never returns success on failure.", "This stops the spinning in atomic context."; _CANT_TELL holds
# its own negator, so only the words before it count. So does the sender's own doing: "I dropped the ret variable."
# Not past a turn: "This is not racy but it hides the error." states the second.
_DENIED = lazy(r"\b(?:\w+n['’]t|not|never|no|nothing|nobody|none|no\s+longer|without|cannot|neither|nor|hardly|"
               r"stops?|stopped|stopping|no\s+more)\b(?:(?!\b(?:but|yet|however|although|though|whereas)\b)"
               r"[^,;:.!?])*$|(?-i:\bI)(?:['’]ve|['’]d|['’]ll|['’]m|\s+have|\s+had|"
               r"\s+will|\s+am)?\s+(?:\w+ly\s+|also\s+|just\s+|then\s+)?$|\bwe(?:['’]ve|\s+have|\s+had)\s+(?:\w+ly\s+|also\s+|"
               r"just\s+)?$", re.I)
# A deed conceded after it in its clause, or by a "which is ..." or "as documented" after it: "Retries on every error
# are fine here.", "The message is printed for every failure, which is the point.", "This returns with the lock held,
# as documented." (matched at the deed's end: no "^", which would anchor at the string's start).
_GRANTED = (r"(?:fine|ok|okay|harmless|intended|intentional|deliberate|expected|correct|safe|acceptable|by\s+design|"
            r"on\s+purpose|what\s+we\s+want|the\s+point|needed|necessary|useful|wanted|desired|documented)\b")
_CONCEDED = lazy(r"[^,;:.!?]*?\b(?:is|are|was|seems?|looks?)\s+(?:\w+\s+)?" + _GRANTED
                 + r"|[^;:.!?]*?,\s*(?:which|that|and\s+that)(?:['’]s|\s+is|\s+was)\s+(?:\w+\s+)?" + _GRANTED
                 + r"|[^;:.!?]*?\bas\s+(?:documented|intended|designed|expected|required)\b", re.I)


def denied_before(text: str, pos: int) -> bool:
    """Whether a negator (or the sender as subject) stands before ``pos`` in its clause of ``text``: "This no longer
    reintroduces ...", "I dropped ..."."""
    return _DENIED().search(text, 0, pos) is not None


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Each deed with the words one of which it holds: a look at a sentence's words is cheap, its patterns are not (run
# on every sentence, the joined deeds cost more than the rest of harness.concernwords), so a pattern is compiled and
# run only for a sentence holding one of its words.
_FAMILIES = (
    (_words("hide hides hid hidden hiding mask masks masked masking obscure obscures obscured obscuring bury buries "
            "buried burying eat eats eaten eating swallow swallows swallowed swallowing"), lazy(_HIDES, re.I)),
    (_words("drop drops dropped dropping discard discards discarded discarding throw throws thrown throwing threw "
            "chop chops chopped chopping cut cuts cutting strip strips stripped stripping lose loses losing lost "
            "clobber clobbers clobbered clobbering overwrite overwrites overwritten overwriting trash trashes trashed "
            "trashing keeps keep cast casts store stores assign assigns put puts truncates narrow narrows"),
     lazy(_LOSES, re.I)),
    (_words("wrap wraps wrapped wraparound extend extends extended extending extension precision"),
     lazy(_WRAPS, re.I)),
    (_words("twice thrice times every each once"), lazy(_TWICE, re.I)),
    (_words("success 0 zero true ok okay"), lazy(_SUCCESS, re.I)),
    (_words("sleep sleeps sleeping slept spin spins spinning busy atomic gfp_kernel msleep usleep_range ssleep "
            "schedule schedule_timeout mutex_lock down kmalloc kzalloc kvmalloc vmalloc copy_from_user copy_to_user "
            "cond_resched might_sleep") | frozenset(("wait_for_completion",)), lazy(_ATOMIC, re.I)),
    (_words("stall stalls stalled stalling block blocks blocked blocking delay delays delayed delaying hog hogs "
            "hogged hogging starves starved starving hold holds wedges wedged wedging lock locks locked"),
     lazy(_STALLS, re.I)),
    (_words("tell distinguish differentiate"), lazy(_CANT_TELL, re.I)),
    (_words("retry retries retrying retried even"), lazy(_RETRIES, re.I)),
    (_words("before freed released unmapped end held taken locked disabled off"), lazy(_ORDER, re.I)),
    (_words("expected normal benign harmless transient recoverable routine common retryable"), lazy(_LEVEL, re.I)),
    (_words("lies lie lying but describes describe documents document refers refer mentions mention talks"),
     lazy(_LIES, re.I)),
    (_words("back resurrect resurrects resurrected resurrecting revive revives revived reviving reopen reopens "
            "reopened reopening re readd readds other_fix"), lazy(_REVIVES, re.I)),
)
_TRIGGERS = frozenset().union(*(triggers for triggers, _ in _FAMILIES))
_TOKENS = lazy(r"[a-z0-9_]+")


def deed_stated(sentence: str, whole: str | None = None) -> bool:
    """Whether ``sentence`` tells a flaw by a verb of what the code does wrong (hides or loses an error, drops bits,
    wraps, counts twice, reports success on failure, sleeps in atomic context, stalls, cannot tell two apart,
    retries what will not pass, uses a value before it is set or after it is gone, a loud level for the expected,
    lies, brings a fixed bug back), the verb not denied in its clause. The caller (harness.concernwords) has left out
    questions, conditions and the flaws fixed, past, conceded or the sender's own, and passes the sentence with its
    conditions cut out; ``whole``, the sentence with them, is where success is told of a failure ("It returns 0 if
    the SEAMCALL failed.")."""
    if _said(sentence, _FAMILIES):
        return True
    return whole is not None and whole != sentence and _said(whole, _FAMILIES[4:5])


def _said(sentence: str, families: tuple[tuple[frozenset[str], Callable[[], re.Pattern[str]]], ...]) -> bool:
    words = set(_TOKENS().findall(sentence.lower()))
    if words.isdisjoint(_TRIGGERS):
        return False
    return any(not words.isdisjoint(triggers) and any(not denied_before(sentence, m.start())
                                                      and not _CONCEDED().match(sentence, m.end())
                                                      for m in pattern().finditer(sentence))
               for triggers, pattern in families)
