"""A failure report in shapes of its own: a slowdown, a splat or a checker's complaint, a bot's mail, a test's FAIL."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from harness.refusals import _ADV, Refusal
from harness.requestgrammar import Searcher
from harness.testtally import failed_run
from models.lazyre import lazy
from models.record import record

# Each read as nothing below the patch (v2 READY, exit 0): "Lockdep splat with this applied, see below.", "lockdep
# complains about the new lock order with this applied.", "Boot is 10x slower with the series.", "This will break the
# build with CONFIG_KVM_INTEL=n.", "syzbot hits this with the series applied:", "Same here, fails on EMR.", "kernel
# test robot noticed a -15.3% regression of ...", "not ok 3 tdx_vm_init # FAIL". Each form below is a clause of
# harness.regressions' _FORMS, read as it reads the others (no negation before it, no condition, no question).
PATCH = (r"(?:this|it|that|them|(?:this|the|your|these|those)\s+(?:whole\s+|entire\s+)?(?:patch(?:es|set)?|series|"
         r"change|commit|version)|patch\s+\d+(?:/\d+)?|v\d+)")
WITH_PATCH = (rf"\b(?:with|since|after(?:\s+apply(?:ing)?)?|once)\s+{PATCH}\b(?:\s+(?:is\s+)?(?:applied|in\s+place|"
              r"on\s+top))?")
# Not the patch's failure: one gone, fixed, of the kernel without it, another tree, or supposed.
_REST = r"(?:[^.;!?]|\.(?=\w))*"  # the rest of the sentence, a file's name ("net/core/dev.c") in it
_NOT_ITS = (rf"(?!{_REST}\b(?:gone|go(?:es)?\s+away|went\s+away|fix(?:es|ed)?|resolv\w+|disappear\w*|vanish\w*|"
            r"without|before|previously|used\s+to|mainline|upstream|unpatched|vanilla|baseline|unrelated|"
            r"known\s+(?:issue|problem|bug)|pre-?existing|if|unless|whether|would|could|might|expected|intended|"
            r"by\s+design|faster|better|improve\w*|less|fewer|lower|no\s+longer|cleanly|gracefully|properly|"
            r"correctly|safely|instead|rather\s+than|when|whenever|which\s+is|what\s+we\s+want|as\s+(?:it\s+)?should|"
            r"the\s+point|on\s+purpose|desired|(?:as\s+)?designed|because|as\s+(?:it|they|there)\s+(?:is|are|has|have))\b)")
# A platform, board, CPU or machine named by its shape, not from a list ("EMR", "Zen 4", "Granite Rapids-D", "i.MX8MP
# EVK", "RK3588", "Power10", "s390", "Ampere Altra", "Raspberry Pi 4"): a capitalised or numbered name. Not a kernel
# tree or version ("linux-next", "v6.19", "-rc3"), NULL, nor a day; nor what code fails on, named in capitals: an error
# code (by its shape: "E" and four letters or more, "EAGAIN", "ENXIO", "EOVERFLOW", or one of the three shorter; not
# "EMR", "EPYC"), a constant ("U64_MAX", "TDX_SW_ERROR"; not a config set, "CONFIG_KVM_INTEL=n") or a signal
# ("SIGKILL").
_NAME_WORD = r"(?:[A-Z][\w.+/-]*|[a-z][a-zA-Z.]*\d[\w.+-]*)"
# A tree of a day is the patch's (applied to it): "fails on Monday's linux-next", "on today's tip/master",
# "on next-20261204".
_DAYS_TREE = (r"(?:(?:today|yesterday|tonight|(?:this|last)\s+(?:morning|night|week)|(?:mon|tues|wednes|thurs|fri|"
              r"satur|sun)day)['’]s\s+(?:linux-)?[\w/+-]*[a-z][\w/+-]*|(?:linux-)?next-\d{8})")
NAME = (rf"(?:{_DAYS_TREE}|(?-i:(?!(?:NULL|TRUE|FALSE|E[A-Z]{{4,}}|E(?:IO|DOM|ADV|2BIG|L\d[A-Z]+)|"
        r"(?!CONFIG_)[A-Z][A-Z0-9]*_[A-Z0-9_]+(?!=)|SIG[A-Z]{2,}|TDX_\w+|Linus|Linux|I|Monday|Tuesday|Wednesday|Thursday|Friday|"
        r"Saturday|Sunday|v\d[\w.]*|rc\d\w*)\b)" + _NAME_WORD + r"(?:\s+(?:[A-Z0-9][\w.+/-]*|[a-z]+\d\w*)){0,3}))")
ON_NAME = rf"\b(?:on|with)\s+(?:(?:an?|the|my|our|this|that)\s+)?{NAME}"

_SPLAT_NOUN = (r"(?:splats?|oops(?:es)?|warnings?|WARN(?:_ON(?:_ONCE)?)?|BUG(?:_ON)?|panics?|crash(?:es)?|hangs?|"
               r"lock-?ups?|deadlocks?|stalls?|use-after-free|UAF|null(?:[\s-]pointer)?\s+deref\w*|(?:KASAN|UBSAN|KCSAN|"
               r"KMSAN|lockdep|kmemleak|RCU|syzbot)\s+(?:reports?|splats?|warnings?|complaints?|stalls?|errors?)|"
               r"(?:circular\s+)?locking\s+dependency|general\s+protection\s+fault|GPF|triple\s+faults?|soft\s+lockups?)")
# A splat named first, the patch after it: "Lockdep splat with this applied, see below.", "Got a WARN with this.",
# "Same KASAN report after applying the series."; the checker's own words: "lockdep complains about the new lock
# order with this applied.", "syzbot hits this with the series applied:".
_CHECKER = (r"(?:lockdep|KASAN|UBSAN|KCSAN|KMSAN|kmemleak|syzbot|syzkaller|sparse|smatch|objtool|modpost|dmesg|the\s+"
            r"(?:kernel|compiler|linker)|(?:gcc|clang)(?:-\d+)?|(?:my|our)\s+(?:CI|bot|tests?))")
SPLAT_WITH = lazy(
    r"^\W*(?:(?:I['’]m\s+|we['’]re\s+|I\s+am\s+|I\s+|we\s+)?(?:got|hit|seeing|getting|hitting|saw|see)\s+)?"
    rf"(?:(?:a|an|the|this|new|another|same|some)\s+)?(?:[\w-]+\s+){{0,2}}?"
    rf"{_SPLAT_NOUN}\b{_NOT_ITS}(?:\s+(?!(?:nothing|none|no|nobody|not|never)\b)[\w()./:'-]+){{0,5}}?\s*,?\s+{WITH_PATCH}"
    + rf"|\b{_CHECKER}\s+{_ADV}(?:complains?|complained|warns|warned|screams|screamed|yells|barfs|chokes|is\s+unhappy|"
    r"(?:hits|hit|trips|tripped|catches|caught)\s+(?:this|it|that|one|something)|fires|fired|triggers|triggered|"
    r"splats|trips|tripped)\b" + _NOT_ITS
    + rf"(?:[^.;!?]*?{WITH_PATCH}|\s+about\s+(?:the|this|these)\s+new\b)", re.I)

# A slowdown, said with the patch or the sender's machine: "Boot is 10x slower with the series.", "hackbench is 12%
# slower with this patch.", "The series makes the build 5 minutes slower.", "Perf drops 30% on Milan with the series.",
# "Latency went up from 30us to 900us with this applied.", "The update now takes minutes instead of seconds." Not a
# speedup, none ("No measurable slowdown"), nor one supposed ("Would this slow down boot?": a question).
_AMOUNT = (r"(?:\d+(?:\.\d+)?\s*(?:x|%|times|(?:milli|micro|nano)?seconds?|minutes?|hours?|[mun]?s|min|[KMG]i?B)|"
           r"twice|three\s+times|much|way|far|a\s+lot|significantly|noticeably|measurably|considerably|dramatically)")
_TOOK = r"(?:(?:several|many|a\s+few|\d+(?:\.\d+)?)\s*)?(?:milliseconds|seconds|minutes|hours|ms|us|s|min)"
# A time told against the one before ("takes 40 seconds on my T14s with this, it was 2 seconds before"): which is the
# longer is _Slower's.
_TAKES_VS = (rf"\btakes?\s+{_TOOK}\b[^.;!?]{{0,40}}?\b(?:instead\s+of|rather\s+than|where\s+it\s+used\s+to\s+take|"
             rf"(?:it|that)\s+used\s+to\s+take|(?:it|that)\s+(?:was|took)|(?:up|down)\s+from)\s+{_TOOK}\b")
_SLOW = (rf"(?:{_AMOUNT}\s+(?:slower|longer|worse|more\s+(?:memory|time|CPU|cycles))\b"
         r"|\b(?:latency|boot[\s-]?time|run[\s-]?time|duration|overhead|memory(?:\s+usage)?|RSS|footprint|"
         r"CPU\s+usage|load\s+time|build\s+time|compile\s+time)\b[^.;!?]{0,30}?\b(?:goes\s+up|went\s+up|grows|grew|"
         r"increases|increased|doubles|doubled|triples|tripled|jumps|jumped|balloons|ballooned|spikes|spiked)\b"
         r"|\b(?:throughput|IOPS|bandwidth|performance|perf|ops(?:/s|_per_sec)?|score|fps|numbers|results?|"
         r"transactions)\b[^.;!?]{0,30}?\b(?:drops?|dropped|falls|fell|decreases|decreased|goes\s+down|went\s+down|"
         r"halves|halved|regress(?:es|ed)?|tanks?|tanked|degrades?|degraded)\b"
         rf"|\b(?:-?\d+(?:\.\d+)?\s*%|{_AMOUNT})\s+(?:[\w-]+\s+){{0,2}}?(?:drop|slowdown|degradation|loss|"
         r"performance\s+regression)\b"
         rf"|{_TAKES_VS}"
         r"|\b(?:takes?|took)\s+\d+(?:\.\d+)?\s*(?:s|ms|seconds|minutes|min)\s*,?\s+up\s+from\b)")
_SLOWER = lazy(
    rf"{_SLOW}[^.;!?]*?(?:{WITH_PATCH}|{ON_NAME}|\b(?:here|for\s+(?:me|us)|on\s+(?:my|our)\b))"
    rf"|{WITH_PATCH}\s*,?\s+[^.;!?]*?{_SLOW}"
    rf"|\b(?:{PATCH}|now)\s+{_ADV}(?:makes|made)\s+(?:[\w()./-]+\s+){{1,4}}?(?:{_SLOW}|take\s+\d+\s*(?:s|seconds|"
    r"minutes|min)\b)"
    rf"|\bnow\s+{_SLOW}|^\W*(?:[\w()./-]+\s+){{1,4}}?{_ADV}now\s+{_SLOW}|{_TAKES_VS}", re.I)
_SLOW_ALONE = lazy(rf"{_SLOW}|\btake\s+\d+\s*(?:s|seconds|minutes|min)\b", re.I)
_INSTEAD = lazy(r"\btakes?\s+(?P<n>\d+(?:\.\d+)?)?\s*(?P<u>milliseconds|seconds|minutes|hours|ms|us|s|min)\b.*?"
               r"(?:instead\s+of|rather\s+than|used\s+to\s+take|from|was|took)\s+(?:several\s+|a\s+few\s+|many\s+)?"
               r"(?P<was_n>\d+(?:\.\d+)?)?\s*(?P<was_u>milliseconds|seconds|minutes|hours|ms|us|s|min)\b", re.I)
_SECONDS = {"us": 1e-6, "ms": 1e-3, "milliseconds": 1e-3, "s": 1.0, "seconds": 1.0, "min": 60.0, "minutes": 60.0,
            "hours": 3600.0}


def _longer_now(m: re.Match[str]) -> bool:
    """Whether ``m``, a slowdown told (_SLOWER), tells no time beside another ("takes minutes instead of seconds",
    "takes 12s, up from 0.3s"), or the time it takes now is the longer."""
    took = _INSTEAD().search(m.group(0))
    if took is None:
        return True
    now = float(took.group("n") or 1) * _SECONDS[took.group("u").lower()]
    was = float(took.group("was_n") or 1) * _SECONDS[took.group("was_u").lower()]
    return now > was


def _any(_: re.Match[str]) -> bool:
    return True


@record
class _Gated:
    """A form searched only in a string where ``gate`` finds what its every match holds (a scan, not the form's
    attempt from each position), its matches kept where ``keep`` says the numbers or words beside them agree."""

    gate: Callable[[], re.Pattern[str]]
    form: Callable[[], re.Pattern[str]]
    keep: Callable[[re.Match[str]], bool] = _any

    def search(self, string: str, pos: int = 0, /) -> re.Match[str] | None:
        if self.gate().search(string, pos) is None:
            return None
        return next((m for m in self.form().finditer(string, pos) if self.keep(m)), None)


@functools.cache
def slower() -> _Gated:
    """The slowdown form (_SLOWER), each of its matches holding one of _SLOW's, its "instead of" read by which time is
    the longer."""
    return _Gated(_SLOW_ALONE, _SLOWER, _longer_now)


# "went from A to B": a time grown or a rate fallen is a slowdown ("Boot time went from 4.2s to 9.8s with this
# series.", "With this applied, fio randread IOPS drop from 620k to 410k."); the other way a speedup.
_FROM_TO = lazy(r"\b(?P<what>boot[\s-]?time|latency|run[\s-]?time|duration|load\s+time|build\s+time|time|"
                r"(?P<rate>IOPS|throughput|bandwidth|ops(?:/s)?|score|fps|transactions|requests))\b[^.;!?]{0,40}?"
                r"\bfrom\s+(?P<a>\d+(?:\.\d+)?)\s*(?P<ua>[a-zµ]*)\s+to\s+(?P<b>\d+(?:\.\d+)?)\s*(?P<ub>[a-zµ]*)",
                re.I)
_SCALE = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "sec": 1.0, "seconds": 1.0, "min": 60.0,
          "minutes": 60.0, "k": 1e3, "m": 1e6, "g": 1e9, "": 1.0}


def _worse(m: re.Match[str]) -> bool:
    """Whether ``m``, numbers told (_FROM_TO), say worse: a time grown, a rate fallen."""
    a = float(m.group("a")) * _SCALE.get((m.group("ua") or m.group("ub")).lower(), 1.0)
    b = float(m.group("b")) * _SCALE.get(m.group("ub").lower(), 1.0)
    return (b < a) if m.group("rate") else (b > a)


_WITH_PATCH = lazy(WITH_PATCH, re.I)


@functools.cache
def from_to() -> _Gated:
    """The numbers-told slowdown form (_FROM_TO), where the numbers say worse, with the patch named in the sentence."""
    return _Gated(_WITH_PATCH, _FROM_TO, _worse)


# A build break foretold as sure, not supposed: "This will break the build with CONFIG_KVM_INTEL=n.", "This is going
# to break allmodconfig." ("would", "could", "might" are _BREAKS' guesses; "if" a condition).
WILL_BREAK = lazy(rf"\b(?:{PATCH}|(?:this|the|that)\s+(?:hunk|call|include|change|removal|rename|export))\s+{_ADV}"
                  r"(?:will|is\s+going\s+to|['’]ll)\s+(?:break|regress)\s+(?:the\s+)?(?:[\w/.=+-]+\s+){0,2}?"
                  r"(?:build|builds|compilation|boot|bisect(?:ion|ability)?|\w*config|W=\d|linking)\b", re.I)

# A failure agreed with ("me too"): "Same here, fails on EMR.", "+1, I see the same hang on my Granite Rapids box.",
# "Confirmed on Emerald Rapids too, same -EIO.", "Same problem here on Lunar Lake." Not agreeing it works ("Same
# here, works on EMR.", "Can confirm this fixes the hang.").
_AGREE = (r"^\W*(?:same\s+(?:here|for\s+me|for\s+us|failure|thing|hang|crash|splat|result|error)|"
          r"me\s+too|\+1|ditto|likewise|(?:I\s+|we\s+)?can\s+confirm|confirmed|(?:I|we)\s+(?:also\s+)?see\s+the\s+"
          r"same|(?:I|we)\s+(?:can\s+)?reproduce(?:d)?\s+(?:it|this|that|the\s+\w+)|reproduced\s+(?:it\s+|this\s+)?(?:on|"
          r"here|with|too|as\s+well))\b")
_AGREED = (r"(?:\bfail\w*|\bhang\w*|\bhung\b|\bcrash\w*|\bpanic\w*|\boops\w*|\bsplat|\bWARN|\bBUG\b|\bregress\w*|"
           r"\b(?:problem|issue)\b|\berrors?\b|-E[A-Z]{2,}\b|\bbroken\b|\bbreak\w*|\block\w*\s*up|\bstall\w*|"
           r"\bdeadlock\w*|\bKASAN\b|\blockdep\b)")
_WORKS = (r"(?![^.;!?]*\b(?:fix\w*|gone|went\s+away|works?|boots?\s+fine|passes|no\s+(?:issues?|problems?)|resolv\w+|"
          r"without|mainline|upstream|unrelated)\b)")
# A "same issue here" alone agrees with a review point as often (harness.tersepoints): a failure's place names it one.
_AGREES = lazy(rf"{_AGREE}{_WORKS}[^.;!?]*?{_AGREED}|^\W*same\s+(?:failure|hang|crash|splat|error|oops|WARN|BUG)\s+"
               rf"(?:here|for\s+(?:me|us)|{ON_NAME}|{WITH_PATCH}|on\s+(?:my|our)\b)" + _WORKS
               + rf"|^\W*same\s+(?:problem|issue)\s+(?:here\s+)?(?:{ON_NAME}|{WITH_PATCH}|on\s+(?:my|our)\b)" + _WORKS,
               re.I)
# Where every match of _AGREES starts (its alternatives each open the sentence): a sentence merely holding "same" ("the
# same error code", "for the same dang thing") is not read by the 2,400 characters of _AGREES, compiled for it before.
_AGREES_START = lazy(r"^\W*(?:same\b|me\s+too|\+1|ditto|likewise|(?:I\s+|we\s+)?can\s+confirm|confirmed|(?:I|we)\s+"
                     r"(?:also\s+|can\s+)?(?:see|reproduce)|reproduced)", re.I)


@functools.cache
def agrees() -> _Gated:
    """The "me too" form (_AGREES), searched only in a sentence that opens as an agreement does (_AGREES_START)."""
    return _Gated(_AGREES_START, _AGREES)

# A failure where or with what: "Breaks S3 resume on Meteor Lake.", "On Ampere Altra the kernel panics right after
# 'Booting secondary CPUs' with v2.", "The screen goes black on resume since this patch.", "Network stops working
# after this series." Not of the code before it ("The old code hangs on SPR.").
_FAIL_DONE = (r"(?:breaks\s+(?!(?:out|off|away|up|down|apart|even|loose|free|the\s+(?:loop|line|dependency))\b)\w+|"
              r"oops(?:es|ed)|panic(?:s|ked)|crash(?:es|ed)|hangs|hung|locks\s+up|locked\s+up|fails(?:\s+to\s+\w+)?|"
              # A learner's "is fail": "the update is always fail with -EIO after apply this patch" (READY, h701)
              r"(?:is|are)\s+(?:always\s+|still\s+|now\s+)?fail(?:ing)?|"
              r"stalls|dies|died|freezes|froze|never\s+(?:boots|starts|resumes|completes|comes\s+up)|(?:corrupts|bricks|wedges|kills)(?:\s+\w+)?|is\s+garbled|(?:goes|went|stays|stayed|turns|turned)\s+"
              r"(?:black|blank|dark)|(?:stops|stopped)\s+(?:working|responding)|no\s+longer\s+(?:works|boots|resumes|"
              r"suspends|reboots|comes\s+up|responds|probes|loads)|no\s+longer\s+work|(?:gives|gave|shows|showed)\s+"
              r"(?:me\s+)?an?\s+(?:black|blank|frozen|garbled)\s+screen|(?:is|gets|got)\s+(?:full|flooded)\s+(?:of|with)\s+"
              r"(?:\w+\s+)?(?:warnings|errors|splats|WARNs|oopses|failures)|(?:stops|stopped|freezes|froze|sits|sat)\s+"
              r"(?:at|after|in)(?=\s+(?:[\x22'‘“]|the\s+(?:\w+\s+)?(?:prompt|logo|message|line)\b)))\b")
_WORD = (r"(?:(?!(?:no|not|never|nothing|nobody|none|neither|nor|hardly|if|unless|when|whenever|once|should|would|"
         r"could|might|may|will|can|whether|old|older|previous|original|stock|unpatched|mainline|upstream|vanilla|"
         r"baseline|current)\b)(?![\w]+n['’]t\b)[\w()./-]+\s+)")
_FAILS_WHERE = lazy(
    rf"(?:^\W*(?:(?:sadly|unfortunately|but|and|also|now|same\s+here)[\s,]+)*|(?<=[,;:])\s*)"
    rf"{_WORD}{{0,3}}?{_ADV}{_FAIL_DONE}" + _NOT_ITS + rf"[^.;!?]*?(?:{ON_NAME}|{WITH_PATCH})"
    + rf"|^\W*on\s+(?:(?:an?|the|my|our)\s+)?{NAME}\s*,?\s+(?:(?:the|my|our)\s+)?{_WORD}{{0,3}}?"
    rf"{_ADV}{_FAIL_DONE}" + _NOT_ITS
    + rf"|{WITH_PATCH}\s*,?\s+(?:the\s+|my\s+|our\s+)?{_WORD}{{0,4}}?{_ADV}{_FAIL_DONE}" + _NOT_ITS
    # The patch run: "Booting this on a Snapdragon X Elite gives a black screen.", "Running v2 on EMR hangs the box."
    + rf"|^\W*(?:booting|running|testing|trying|loading|applying)\s+{PATCH}\b(?:\s+(?:on|with|under|in)\b[^.;!?]*?)?"
    rf"\s+{_ADV}(?:{_FAIL_DONE}|hangs\s+\w+|crashes\s+\w+|breaks\s+\w+)" + _NOT_ITS, re.I)

_FAILED_DONE = lazy(_FAIL_DONE, re.I)


@functools.cache
def fails_where() -> _Gated:
    """The failure told where or with what (_FAILS_WHERE), searched only in a sentence where _FAIL_DONE is."""
    return _Gated(_FAILED_DONE, _FAILS_WHERE)


# A log the patch floods: "This causes a flood of 'tdx: SEAMCALL failed' messages in dmesg.", "It spams the log on
# every boot.", "dmesg is now full of these warnings.", "Since v2, my logs fill up with 'TDX module busy' messages.",
# "This generates thousands of 'P-SEAMLDR: retry' messages per second.", "Log spam: '...' is printed 4000 times." (each
# read as nothing, or as a review point only). The log as the subject is the patch's only told now or with the patch.
# Not a flood gone, stopped, of the kernel without the patch, supposed, rate-limited; nor code ("hundreds of lines of
# code").
_LOG = (r"(?:dmesg|(?:(?:the|my|our|your|this)\s+)?(?:(?:kernel|boot|system|serial|dmesg|console|debug)\s+)?(?:logs?|"
        r"console|journal|syslog|ring\s+buffer|dmesg|klog|messages\s+file))")
_LOGGED = (r"(?:messages?|lines?|warnings?|errors?|splats?|WARNs?|printks?|prints|backtraces?|(?:stack\s+)?traces?|"
           r"entries|reports?|notices?|complaints?)\b(?!\s+of\s+(?:\w+\s+)?(?:code|assembly|asm|instructions|C|"
           r"boilerplate|diff|changes?|text|documentation)\b)")
_DELUGE = (r"(?:(?:(?:log|message|printk|warning|error|console|dmesg)\s+)?(?:flood|storm|deluge|torrent|avalanche|"
           r"barrage|spam)|(?:thousands|hundreds|millions|tons|lots|loads|pages|screenfuls|a\s+(?:ton|wall))\s+of\s+"
           r"(?:[\w'\x22:./()-]+\s+){0,6}?" + _LOGGED + ")")
_FLOOD_NOT = (r"(?![^.;!?]*\b(?:gone|go(?:es)?\s+away|went\s+away|fix(?:es|ed)?|resolv\w+|disappear\w*|vanish\w*|"
              r"without|before|previously|used\s+to|mainline|upstream|unpatched|vanilla|baseline|unrelated|"
              r"pre-?existing|if|unless|would|could|might|expected|intended|by\s+design|on\s+purpose|no\s+longer|"
              r"instead|rather\s+than|less|fewer|rate-?limit\w*|silenc\w*|stops?|stopped)\b)")
_FLOOD_WORD = (r"(?:(?!(?:fix\w*|stop\w*|avoid\w*|prevent\w*|remov\w*|silenc\w*|quiet\w*|suppress\w*|rate-?limit\w*|"
               r"keeps?|kept|without|the\s+old)\b)" + _WORD + ")")
_FLOODS = lazy(
    rf"(?:^\W*(?:(?:now|and|but|also|sadly|unfortunately|however)[\s,]+)*|(?<=[,;:])\s*){_FLOOD_WORD}{{0,4}}?{_ADV}"
    rf"(?:(?:spams|floods|clutters|pollutes|swamps|fills(?:\s+up)?|overflows)\s+{_LOG}\b"
    r"|(?:causes|triggers|produces|generates|creates|results\s+in|leads\s+to|spits\s+out|prints|emits|logs|dumps|"
    rf"throws)\s+(?:an?\s+|the\s+|a\s+whole\s+)?{_DELUGE}"
    rf"|(?:makes|made)\s+{_LOG}\s+(?:explode|overflow|unreadable|unusable|useless)\b"
    r"|(?:prints|logs|emits|repeats)\s+(?:[\w'\x22:./()-]+\s+){0,6}?(?:\d{3,}|thousands\s+of|hundreds\s+of|"
    r"millions\s+of)\s+times)" + _FLOOD_NOT
    # The log its subject: "dmesg is now full of these warnings.", "With this applied, syslog is unusable."
    + rf"|^(?![^.;!?]*\bwithout\b)(?=[^.;!?]*(?:\bnow\b|{WITH_PATCH}))[^.;!?]*?{_LOG}\s+(?:(?:is|are|gets|got|becomes|"
    r"became)\s+(?:now\s+)?(?:completely\s+|totally\s+|just\s+)?(?:flooded|spammed|swamped|cluttered|littered|"
    r"drowning|unreadable|unusable|useless|exploding)|(?:now\s+)?(?:fills?(?:\s+up)?|overflows|explodes|drowns)\s+"
    r"(?:with|in)|(?:is|gets)\s+(?:now\s+)?(?:drowning|drowned)\s+in)\b" + _FLOOD_NOT
    # Full of what is logged, not of anything ("dmesg is now full of useful information"): "full of these warnings".
    + rf"|^(?![^.;!?]*\bwithout\b)(?=[^.;!?]*(?:\bnow\b|{WITH_PATCH}))[^.;!?]*?{_LOG}\s+(?:is|are|gets|got|becomes|"
    r"became)\s+(?:now\s+)?(?:completely\s+|totally\s+|just\s+)?(?:full\s+of|filled(?:\s+up)?\s+with)\s+"
    r"(?:[\w'\x22:./()-]+\s+){0,6}?(?:" + _LOGGED + r"|[\x22'‘“])" + _FLOOD_NOT
    # Its lines counted: "'tdx: busy' is printed 4000 times during boot.", "Log spam: ... repeated 10000 times."
    + r"|\b(?:printed|logged|emitted|repeated|shows\s+up|appears)\s+(?:(?:\d{3,}|\d+k|thousands\s+of|hundreds\s+of|"
    r"millions\s+of)\s+times|(?:\d+\s+)?times\s+(?:a|per)\s+(?:second|millisecond|ms))\b" + _FLOOD_NOT
    + r"|^\W*(?:(?:kernel\s+|the\s+)?(?:log|dmesg|console|printk)\s+(?:spam|flood(?:ing)?)|spam|flood)\s*[:!]", re.I)


# A bot's mail: "kernel test robot noticed a -15.3% regression of ...", "kernel test robot noticed the following
# build errors:", "syzbot found the following issue on:", "KernelCI reports a boot regression on imx8mp-evk with this
# series", "0day reports a build error with this", "FYI, we noticed a -22.1% regression of ... due to commit". Not its
# improvement ("noticed a 48.2% improvement").
_BOT = r"(?:kernel\s+test\s+robot|0-?day(?:\s+bot)?|lkp|syzbot|syzkaller|KernelCI|(?:the|our)\s+(?:bot|robot|CI))"
BOT_SAYS = lazy(
    rf"\b(?:{_BOT}|FYI,?\s+we)\s+{_ADV}(?:noticed|found|reports?|reported|detected|hit|flagged|caught)\s+"
    r"(?:the\s+following\s+|an?\s+|new\s+|some\s+)*(?:-?\d+(?:\.\d+)?%\s+regression|(?:build|boot|compile|link|"
    r"performance|perf|test|runtime|functional)\s+(?:regressions?|errors?|warnings?|failures?|issues?)|issues?|crash\w*|"
    r"regressions?|(?:kernel\s+)?(?:BUG|WARNING|oops|panic)\w*|[\x22'](?:BUG|WARNING|KASAN|UBSAN|kernel|general|INFO|"
    r"Oops)|KASAN|UBSAN|(?:warnings?|errors?|failures?)\b)" + _NOT_ITS, re.I)

# A splat pasted in the reply's own words: its first line's signature (the lead above it says whose it is: "Got this
# on boot:", not "Without the series I get:").
SPLAT_LINE = lazy(r"(?-i:(?:^|:\s)\s*(?:\[\s*\d+\.\d+\]\s*)?"
                  r"(?:WARNING: CPU: \d+ PID: \d+|WARNING: (?:possible|suspicious|inconsistent)\b|"
                  r"BUG: (?:KASAN|KCSAN|KMSAN|kernel NULL|unable to handle|sleeping function|scheduling while|"
                  r"soft lockup|workqueue lockup|Bad page|spinlock|using smp_processor_id)|"
                  r"(?:KASAN|UBSAN|KFENCE): [\w-]+|Oops: \d|Kernel panic - not syncing|general protection fault|"
                  r"Unable to handle kernel|INFO: task \S+ blocked for more than|rcu: INFO: \w+ detected stall|"
                  r"kernel BUG at|watchdog: BUG: soft lockup|unreferenced object 0x))")
SPLAT_SAFE_LEAD = lazy(r"\b(?:without|before|previously|used\s+to|fix(?:es|ed)?|gone|mainline|upstream|unpatched|"
                       r"vanilla|baseline|unrelated|known|pre-?existing|changelog|commit\s+(?:message|log)|"
                       r"description|trim|shorten|e\.g|such\s+as|like\s+this\s+one|other\s+thread|no\s+longer|"
                       r"reverted|if|would)\b", re.I)

# A Tested-by withheld: "So no Tested-by from me, sorry.", "No Tested-by, sorry.", "Withholding my Tested-by." Read as
# a report only beside a failure told in the same reply (harness.regressions: "No Tested-by from me until I can try
# SPR." alone is none).
WITHHELD = lazy(r"^\W*(?:(?:so|sorry|sadly|unfortunately|then|hence|thus)[\s,]+)*(?:(?:so\s+)?no\s+tested-by\b"
                r"(?:\s+from\s+(?:me|us))?(?:\s*,?\s*(?:sorry|for\s+now|then|I['’]m\s+afraid))?\s*[.!]*\s*$|"
                r"(?:I['’]m\s+|I\s+am\s+)?withhold(?:ing)?\s+my\s+tested-by\b(?![^.;]*\b(?:until|till|because|as\s+I|"
                r"since\s+I)\b))", re.I)
FAILED_WORDS = lazy(r"\b(?:fail\w*|hang\w*|hung|crash\w*|panic\w*|oops\w*|splat\w*|WARN\w*|BUG|black|blank|garbled|"
                    r"broken|breaks|broke|stops?\s+working|stopped\s+working|dies|died|corrupt\w*|regress\w*|"
                    r"no\s+longer|doesn['’]t\s+work|does\s+not\s+work|-E[A-Z]{2,})\b", re.I)
# With the patch one way, without it another: "the display stays black after resume with this patch, without it
# resume works fine."
CONTRAST = lazy(rf"{WITH_PATCH}\s*[,;]\s*(?:but\s+|and\s+|while\s+)?without\s+(?:it|this|them|that|the\s+(?:patch|"
                r"series|change))\b[^.;!?]*?\b(?:works?|boots?|resumes?|runs?|pass(?:es)?|succeeds?|is\s+fine)\b", re.I)
# The words SPLAT_LINE's every match holds: searched only in a sentence holding one.
_SPLAT_WORDS = ("WARNING: ", "BUG: ", "SAN: ", "KFENCE: ", "Oops: ", "panic - ", "protection fault", "Unable to handle",
                "INFO: ", "kernel BUG", "unreferenced object")
_FIXED_AFTER = lazy(r"\b(?:fix\w*|gone|went\s+away|no\s+longer|resolv\w+)\b", re.I)
_NOT = lazy(r"\b(?:not|never|no)\b|n['’]t\b", re.I)
# The kernel's taint mark on a splat's header line ("6.8.0-rc1+ #12 Not tainted", print_tainted()): no negation of
# the splat (lockdep's report, its header joined to the line above, passed READY: h701).
_TAINT = lazy(r"(?-i:\bNot tainted\b)")


def told_around(told: list[str], n: int) -> Refusal | None:
    """The report sentence ``n`` of ``told`` makes with the sentences beside it: a splat's first line pasted below a
    lead that is not of the kernel without the patch ("Got this on boot:" then "BUG: unable to handle page fault ...";
    not "Without the series I get:"), or a Tested-by withheld after a failure told ("... the display stays black after
    resume. So no Tested-by from me, sorry.")."""
    sentence = told[n]
    if any(w in sentence for w in _SPLAT_WORDS) and (m := SPLAT_LINE().search(sentence)) is not None:
        lead = _TAINT().sub(" ", (told[n - 1] if n else "") + " " + sentence[:m.start()] + sentence[m.end():])
        after = told[n + 1] if n + 1 < len(told) else ""
        if not (SPLAT_SAFE_LEAD().search(lead) or _NOT().search(lead) or lead.rstrip().endswith("?")
                or _FIXED_AFTER().search(after)):
            return Refusal(sentence, False)
    if "tested-by" in sentence.lower() and WITHHELD().search(sentence) \
            and any(FAILED_WORDS().search(s) for s in told[: n + 1]):
        return Refusal(sentence, False)
    return None


# The words each form's every match holds (harness.regressions' _FORMS gates): a form is compiled only for a sentence
# holding them.
_FAILING = ("break", "broke", "regress", " hang", "hung", "crash", "panic", "fail", "oops", "splat", "lock", "reboot",
            "fault", "warn", "deref", "free", "leak", "corrupt", " bug ", " bug:", " bug_on", "uaf", "gpf", "kasan",
            "ubsan", "kcsan", "kmsan", "rcu", "syzbot", "stall")
_PATCHED = (" with ", " since ", " after ", " once ")
SHAPES: tuple[tuple[Callable[[], Searcher], bool, tuple[tuple[str, ...], ...]], ...] = (
    (SPLAT_WITH, False, ((*_FAILING, "complain", "scream", "yell", "barf", "choke", "unhappy", " hit", " trip", "catch",
                          "caught"), (*_PATCHED, "about th"))),
    # Its negation its own: "takes minutes instead of seconds".
    (slower, True, (("slower", "longer", "worse", "more memory", "more time", "more cpu", "more cycles", "goes up",
                     "went up", " grow", " grew", "increase", "double", "triple", "jump", "balloon", "spike", " drop",
                     "falls", " fell", "decrease", "goes down", "went down", "halve", "regress", " tank", "degrad",
                     "slowdown", " loss", "instead of", "rather than", "used to take", "up from", " took", " take ",
                     " takes "),
                    # What every slowdown told holds beside (_SLOW, _INSTEAD): a quantity, a unit or what grew; so that
                    # "Drop this patch." compiles none of its patterns (series of the corpus: +85 M instructions).
                    ("slow", "longer", "worse", "more ", "latency", "boot", "time", "duration", "overhead", "memory",
                     "rss", "footprint", "cpu", "second", "minute", "hour", "ms ", "perf", "throughput", "bandwidth",
                     "fps", "iops", "score", "rate", "up from", "instead of", "rather than", "used to", " took",
                     "twice", "half", "%", "regress", "degrad"))),
    (from_to, False, ((" from ",), (" to ",), _PATCHED)),
    (WILL_BREAK, False, ((" will ", "going to", "'ll ", "’ll "), ("break", "regress"))),
    (agrees, False, (("same", "me too", "+1", "ditto", "likewise", "confirm", "reproduc"),)),
    # "no longer works", "not ok 3": the negation the report's own.
    (fails_where, True, ((*_FAILING, "black", "blank", "dark", "stop", "no longer", "dies", "died", "freez", "froze",
                          "never", "garbled", "brick", "wedge", "kill", "full of", "flooded"), (*_PATCHED, " on "))),
    # A test run's output (harness.testtally, its one reader): "FAIL: 2", "not ok 3 ... # FAIL", "7/9 tests passed".
    (failed_run, True, (("not ok", "fail", "error", "brok", "crash", "time", "bad", "/"),)),
    (_FLOODS, False, (("spam", "flood", "full of", "fill", "clutter", "pollut", "swamp", "drown", "litter",
                       "unreadable", "unusable", "useless", "explod", "overflow", "storm", "deluge", "torrent",
                       "barrage", "avalanche", "thousands of", "hundreds of", "millions of", "tons of", "lots of",
                       "loads of", "pages of", "screenfuls of", "a ton of", "a wall of", " times"),
                      ("log", "dmesg", "console", "journal", "ring buffer", "messages", "line", "warn", "error",
                       "print", "splat", "trace", "entries", "report", "notice", "complaint", "emit", "repeat",
                       "appear", "shows up"))),
    (BOT_SAYS, False, (("robot", "0day", "0-day", "lkp", "syzbot", "syzkaller", "kernelci", " bot ", " ci ", "fyi"),)),
    (CONTRAST, True, ((" without ",), _PATCHED)),
)
