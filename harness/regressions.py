"""A report that the patch breaks something, read by its parts: the patch, a verb of breaking, or a bisection."""

from __future__ import annotations

import re
from collections.abc import Callable

from harness.breakwords import (
    _AT_MINE,
    _DESIGN,
    _ERRCODE,
    _FAILURE,
    _HARMS,
    _NOT_IT,
    _NOT_OURS,
    _RETURN_ERR,
    _REVISION,
    _SUBJECT,
)
from harness.drawnclause import drawn_clauses
from harness.failshapes import NAME, SHAPES, told_around
from harness.refusals import _ADV, _END, _LEAD, _NOUN, Refusal, refusal_at
from harness.regate import gated
from harness.replywords import holds_each, sentences
from harness.requestgrammar import Searcher
from harness.tagwithdrawal import tag_withdrawn
from models.lazyre import lazy

# "This patch breaks boot on SPR.", "Bisected the boot hang to this patch.", "Reverting this patch fixes boot on my SPR
# box.", "With this applied my machine no longer boots." were read as nothing below the patch (v2 READY, exit 0): an
# unanswered report that the revision breaks something is an objection a CI gate must not pass over. Each form is a
# clause of parts, whatever their words:
#   the patch (named: "this patch", "the series", "patch 2"; or "this", "it", "that", which the quote above places),
#   a verb of breaking said as a fact (breaks, broke, has broken, regresses, hangs/crashes the machine, causes or
#     introduces a hang/crash/regression...; never "would", "could", "might": a condition or a guess);
#   or a bisection ending at it ("bisected ... to this patch"), its revert mending what broke ("reverting this patch
#     fixes boot"), or a machine failing with it applied ("with this applied, my box no longer boots").
# Read as droprequest reads a request (harness.droprequest.request_in): no negation before it or in it ("This patch
# doesn't break anything", "I don't think this breaks boot", "This no longer breaks boot with v3": nothing but an
# adverb stands between the patch and its verb), no condition ("If this breaks boot, ..."), no question; the caller
# reads only the reply's own words, never what it quotes, and never the patch author's.
# The patch making something return an error code or error out: "This makes every SEAMCALL return TDX_SW_ERROR.",
# "On my box this makes tdx_sys_setup() return -EIO." (read as nothing); a form of its own, compiled only for a sentence
# saying both (the corpus' "... will never return TDX_RND_NO_ENTROPY" compiled _BROKE_NAMED and _BROKE_UNNAMED).
_MAKES_ERR = lazy(rf"(?:(?:{_LEAD}|{_AT_MINE}){_SUBJECT}|\b(?P<noun16>{_NOUN})|(?P<noun17>{_REVISION}))\s+{_ADV}"
                  r"(?:makes|made|causes|caused)\s+(?!(?:nothing|nobody|none)\b)(?:[\w()./-]+\s+){1,3}?(?:to\s+)?"
                  + _RETURN_ERR + _DESIGN + _NOT_IT, re.I)
# The patch named by what it does ("Thanks, but the fix breaks arm64.", "Your change breaks suspend."): not "the old
# fix", nor "the fix in v1", which name another.
_WORK = (r"(?:the|your|this)\s+(?:(?:new|proposed|latest|whole)\s+)?(?:fix|change|rework|refactor(?:ing)?|cleanup|"
         r"conversion|rewrite)")
_BROKE_NAMED = lazy(rf"\b(?:(?P<noun>{_NOUN})|{_WORK})\s+{_ADV}{_HARMS}{_NOT_IT}", re.I)
_BROKE_UNNAMED = lazy(rf"(?:{_LEAD}|{_AT_MINE}){_SUBJECT}\s+{_ADV}{_HARMS}{_NOT_IT}"
                      rf"|(?P<noun9>{_REVISION})\s+{_ADV}{_HARMS}{_NOT_IT}", re.I)
# A machine failing with the revision named: "With v2 my SPR box oopses in tdx_init().", "On v3 the box no longer
# boots."
# Its failing in other words, with no negation ("With v2, my box no longer hangs." is none), is _FAILS_APPLIED's.
_FAILS_ON_REVISION = lazy(rf"\b(?:with|on|since)\s+(?P<noun8>{_REVISION})(?:\s+applied)?\s*,?\s+"
                          r"(?:my|the|our|this|every)\s+(?:[\w-]+\s+){0,2}?(?:[\w-]+\s+)?(?:no\s+longer\s+boots|"
                          r"(?:does\s+not|doesn['’]t|won['’]t)\s+boot)\b", re.I)
_CULPRIT = r"(?:culprit|(?:first\s+)?bad\s+(?:commit|one|patch)|cause|offender|offending\s+(?:commit|patch))"
_BISECTED = lazy(rf"\bbisect(?:ed|ing|ion)?\b[^.;!?]*?\b(?:(?:to|at|on|blames?|found|identified|says|said|shows|showed|"
                 r"names|named|fingers|fingered|picks|picked|leaves|left|converge[sd]\s+on|end(?:s|ed)\s+(?:up\s+)?"
                 r"(?:at|on|with)|narrow(?:s|ed)\s+(?:it\s+)?down\s+to)"
                 # Or its result given: "Bisection result: this commit."
                 rf"\s+|(?:result|outcome|verdict)s?\s*(?::|is)\s*)(?:(?P<noun>{_NOUN})|{_SUBJECT})"
                 rf"(?:\s+(?:is|was|as)\s+(?:the\s+)?{_CULPRIT})?{_END}"
                 # The verdict first: "First bad commit per git bisect is this one.", "The culprit is this patch."
                 rf"|\b(?:first\s+bad\s+commit|culprit)\b[^.;!?]*?\b(?:is|was)\s+(?:(?P<noun15>{_NOUN})|{_SUBJECT})"
                 rf"{_END}",
                 re.I)
_MENDS = (r"(?:fixes|fixed|solves|solved|resolves|resolved|cures|cured|makes\s+(?:[\w()-]+\s+){1,3}(?:(?:boot|work|"
          r"succeed|pass)s?\s+again|go\s+away|disappear|vanish)|(?:[\w()-]+\s+){1,3}?(?:goes\s+away|went\s+away|"
          r"disappears|disappeared|vanishes|vanished|is\s+gone|(?:works|boots|passes|succeeds)\s+again))\b")
# Its revert told by its sender, with no one named and the patch a pronoun ("Reverted it locally and the hang went
# away."): "I reverted 2/3 and my SPR box boots again." is a maintainer's drop (harness.droprequest), not this.
_REVERT_MENDS = lazy(rf"(?:(?:\breverting|^\W*(?:if|when|once|after)\s+(?:I|we)\s+revert)\s+(?:(?P<noun>{_NOUN})|"
                     rf"{_SUBJECT}(?:\s+(?:patch|commit|change))?)|^\W*(?:(?:I|we)\s+(?:just\s+|then\s+)?)?reverted\s+"
                     rf"{_SUBJECT})\b"
                     r"(?:\s+(?:locally|here|on\s+top(?:\s+of\s+[\w./+-]+)?|again))?"
                     rf"\s*,?\s+(?:and\s+(?:now\s+)?)?{_MENDS}",
                     re.I)
# The failure gone once the patch is reverted, told after it: "The splat goes away when I revert this patch." (read as
# nothing, READY: _REVERT_MENDS reads the revert told first).
_GONE_ON_REVERT = lazy(r"(?:\b(?:goes|went)\s+away|\bdisappear(?:s|ed)?|\bvanish(?:es|ed)?|\bis\s+gone)\s+(?:again\s+)?"
                       r"(?:when|once|after|as\s+soon\s+as)\s+(?:I|we)\s+revert(?:ed)?\s+(?:this|it|the\s+(?:patch|"
                       r"series|commit|change)|your\s+(?:patch|series|change)|patch\s+\d+|\d+/\d+)\b", re.I)
# Not working with the patch applied, its negation the report's own: "With this applied my machine no longer boots.",
# "Since this patch, TDX init doesn't work." (read as nothing). Not a thing that did not before ("... the box that
# didn't boot before").
_TAKING = r"(?:applying|picking\s+up|pulling(?:\s+in)?|merging|taking)"  # the patch into the tester's tree
_FAILS_WITH = lazy(rf"\b(?:with|since|after\s+{_TAKING})\s+(?:(?P<noun>{_NOUN})|{_SUBJECT})(?:\s+applied)?\s*,?\s+"
                   r"(?:(?!(?:nothing|nobody|none|neither)\b)[\w()./-]+\s+){1,4}?"
                   r"(?:(?:no\s+longer|does\s+not|doesn['’]t|won['’]t|will\s+not|can(?:not|['’]t))\s+"
                   r"(?:boot|start|come\s+up|build|compile|resume|suspend|work|load|probe|initiali[sz]e)s?"
                   # Or never ending: "Since this commit the module update never completes." (read as nothing).
                   r"|never\s+(?:complete|finish|succeed|return|boot|come\s+up)s?)\b"
                   r"(?![^.;]*\b(?:before|previously|if|unless|whenever|should|expected|intended|by\s+design|"
                   r"on\s+purpose)\b)", re.I)
# A failure of any kind with the patch named first: "With this applied, TDX init hangs on my machine.", "After applying
# this, module load fails.", "Since this patch, the tdx selftest fails.", "With this patch, I get a WARN splat." (each
# read as nothing: the gate passed). Any negation is not the report's own: "With this applied, my box no longer hangs"
# argues for the patch (it blocked), as does a failure gone, one the patch's design makes, or one under a condition.
_FAIL_VERB = (r"(?:(?:hangs|hung|crash(?:es|ed)|panic(?:s|ked)|oops(?:es|ed)|fail(?:s|ed)(?:\s+to\s+\w+|\s+with\s+"
              rf"{_ERRCODE})?|(?:locks|locked)\s+up|deadlock(?:s|ed)|stall(?:s|ed)|(?:times|timed)\s+out|"
              rf"(?:errors|errored)\s+out(?:\s+with\s+{_ERRCODE})?|"
              r"splats|triple[\s-]fault(?:s|ed)|reboot(?:s|ed)|(?:gets|got|is|was)\s+stuck|"
              r"(?:is|was|gets|got)\s+broken|(?:breaks|broke)(?!\s+(?:out|off|away|up|down|apart|even|loose|free)\b)|"
              r"(?:blows|blew)\s+up|(?:starts|started)\s+failing"
              # The log flooded with failures, a CI run gone red: "Since this patch, dmesg fills with 'SEAMCALL failed'
              # lines.", "Our nightly run went red with this series." (read as nothing).
              r"|(?:fills|filled|(?:is|gets|got)\s+(?:flooded|spammed))\s+(?:up\s+)?with\b[^.;!?]*?\b(?:fail\w*|"
              r"errors?|warn\w*|BUG|oops\w*|splats?)\w*(?:['’\x22]\s*\w+)?|(?:goes|went|turns|turned)\s+red)\b|"
              + _RETURN_ERR + ")")
_SEES = (rf"(?:(?:I|we)\s+{_ADV}(?:get|got|see|saw|hit|observe|observed|am\s+(?:seeing|getting|hitting)|"
         r"['’]m\s+(?:seeing|getting|hitting))|there\s+(?:is|was|are|were)|there['’]s"
         # Or the log showing one: "dmesg shows a WARN in tdx_init()."
         r"|(?:[\w()./-]+\s+){1,3}?(?:shows|showed|throws|threw|triggers|triggered|hits|spits\s+out))\s+"
         r"(?:(?:an?|the|this|some|these|new|another)\s+)+(?:[\w-]+\s+){0,2}?" + _FAILURE + r"\b")
_IN_PLACE = r"(?:\s+(?:applied|on\s+top|in\s+place))"
_FAILS_APPLIED = lazy(rf"(?:(?:\b(?:with|since|after\s+{_TAKING})\s+(?:(?P<noun12>{_NOUN})|{_SUBJECT})|"
                      rf"\bafter\s+(?P<noun13>{_NOUN})){_IN_PLACE}?\s*,?\s+"
                      # The patch left out, its participle naming it: "Applied on top of 6.19-rc1, TDX init hangs."
                      r"|^\W*(?:once\s+|when\s+)?applied(?:\s+(?:on\s+top\s+of|to|against|on)\s+[\w./+-]+)?\s*,\s*)"
                      r"(?:" + _SEES + r"|(?:(?!(?:nothing|nobody|none|neither|before|previously|but|and|or|yet|though|"
                      r"although|whereas|while|except)\b)[\w()./-]+\s+){1,6}?"
                      + _ADV + _FAIL_VERB + ")" + _DESIGN, re.I)
# The patch named last: "TDX init fails on my machine with this applied.", "The kvm module fails to load with this
# applied." (read as nothing). Nothing between the failure and the patch that turns ("fails on v1 but passes with this
# patch") or names a time before it.
_BETWEEN = (r"(?:\s+(?!(?:with|since|after|without|but|and|or|yet|though|although|whereas|which|that|before|if|unless|"
            r"passes|passed|works|worked|succeeds|succeeded|boots|booted|fine)\b)[\w()./=-]+){0,6}?")
_FAILS_LAST = lazy(rf"\b{_FAIL_VERB}{_BETWEEN}\s+(?:with|since|after(?:\s+applying)?)\s+"
                   rf"(?:(?P<noun14>{_NOUN}){_IN_PLACE}?|{_SUBJECT}{_IN_PLACE}?)"
                   r"(?=\s*(?:[.!;:,)]|$|\b(?:on|here|too|again|as\s+well|now|forever)\b))" + _DESIGN, re.I)
# The failure first, then the patch: "Boot hangs with this patch.", "The kernel panics at boot with this series.",
# "I see a boot hang with this patch applied."; and "This patch is the first bad commit" (git bisect's words).
_AFTER = (r"(?:with|since|after(?:\s+applying)?)\s+(?:(?P<noun>{noun})|this|it)(?:\s+(?:applied|on\s+top))?"
          r"(?=\s*(?:[.!;,:)]|$|\b(?:on|here|too|again|as\s+well)\b))")
_FAILS_AFTER = lazy(r"\b(?:hangs?|crash(?:es)?|panics?|oopses|locks\s+up|fails\s+to\s+(?:boot|build|compile|resume)|"
                    r"(?:does\s+not|doesn['’]t|no\s+longer|won['’]t|will\s+not|can(?:not|['’]t))\s+(?:boot|build|compile|"
                    r"resume)s?)\b(?:\s+(?:at|on|during|while)\s+(?:boot|resume|startup|suspend|[\w-]+))?"
                    r"(?:\s+(?:on|here)(?:\s+[\w-]+){0,2}?)?\s+" + _AFTER.format(noun=_NOUN)
                    + r"|\b(?:see|get|hit|observe|seeing|getting|hitting)\s+(?:a|an|the|this)\s+" + _FAILURE
                    + r"\b(?:\s+[\w-]+){0,4}?\s+" + _AFTER.format(noun=_NOUN).replace("P<noun>", "P<noun2>")
                    + rf"|\b(?:(?P<noun3>{_NOUN})|this|it)\s+(?:is|was)\s+the\s+first\s+bad\s+commit\b", re.I)
# Words that open a report, the tester's own first ("I tried it and ...", "Tested v2 on my box, ..."): "I tried it and
# it does not build." was read as nothing.
_TESTER_LEAD = (r"^\W*(?:(?:nope|no|sorry|but|so|still|also|FWIW|hmm+|nit|unfortunately|sadly|again)[\s,.!:]+)*"
                r"(?:(?:I\s+)?(?:just\s+|also\s+|quickly\s+)?(?:tried|tested|built|booted|applied|compiled|ran)\s+"
                r"(?:it|this|that|them|v\d+|the\s+(?:patch(?:es)?|series|set|new\s+version)|this\s+(?:patch|series|"
                r"version))(?:\s+(?:on|with|in|under|against|here|locally|today|again|for)\b[^,;.]*?)?(?:\s+and|,|:)\s+"
                r"(?:(?:sadly|unfortunately|now)[\s,]+)?)?")
# The build or boot failing, told of the patch or with its subject left out: "This doesn't compile.", "Doesn't build
# with W=1.", "v2 no longer boots on my SPR box.", "Fails to link here." (each read as nothing: the gate passed). Its
# sentence or a clause drawn from it opens with it: not after a condition ("If you drop the include, it won't build."),
# nor one expected ("..., but that's expected: it's x86-only.") or under a condition after it.
_NO_BUILD = lazy(rf"{_TESTER_LEAD}(?:(?:{_SUBJECT}|(?P<noun10>{_NOUN}))\s+)?{_ADV}"
                 r"(?:does\s+not|doesn['’]t|did\s+not|didn['’]t|won['’]t|will\s+not|can(?:not|['’]t)|no\s+longer|"
                 rf"fails?\s+to)\s+{_ADV}(?:boot|build|compile|link)s?\b"
                 r"(?=\s+(?:on|in|at|with|without|for|under|here|anymore|any\s+more|cleanly|again)\b|\s*[.!;:,)]|\s*$)"
                 r"(?![^.;]*\b(?:if|unless|whenever|should|expected|intended|by\s+design|on\s+purpose)\b)"
                 + _NOT_IT, re.I)
# The build broken, a build warning or a test failing, said with the patch left out (the quote above places it):
# "Breaks the build.", "Breaks allmodconfig.", "Warns with W=1.", "sparse complains about this.", "Build error with
# clang.", "New W=1 warning.", "I get a build error with clang.", "The selftests fail with this." (each read as nothing:
# the gate passed). Not under a condition or expected, as _NO_BUILD; not "breaks out of the loop" (no build named).
_BUILDS = r"(?:build|compile|compilation|link|linker|boot|W=\d|C=\d|sparse|smatch|objtool|modpost|gcc|clang)"
_TOOL = r"(?:gcc|clang|sparse|smatch|objtool|modpost|the\s+compiler|the\s+linker|W=\d|C=\d)"
_WHERE = r"(?:with|under|on|in|for)\s+(?:W=\d|C=\d|LLVM=1|clang|gcc|sparse|smatch|[\w/.=+-]+\s+builds?|\w*config)"
_BUILD_BROKEN = lazy(
    rf"(?:{_TESTER_LEAD}(?:(?:{_SUBJECT}|(?P<noun11>{_NOUN}))\s+)?{_ADV}(?:"
    r"(?:breaks|broke)\s+(?:the\s+)?(?:(?:[\w/.=+-]+\s+){0,2}?(?:builds?|boot(?:ing)?|compilation)|\w*config|"
    rf"bisect(?:ion|ability)?|W=\d)|(?:warns|fails)\s+{_WHERE}|(?:adds|introduces|causes)\s+(?:an?\s+|new\s+)*"
    rf"(?:{_BUILDS}\s+)+(?:warnings?|errors?|failures?|breakage))"
    rf"|{_TESTER_LEAD}{_TOOL}\s+{_ADV}(?:warns|complains|errors?\s+out|barfs|chokes|is\s+unhappy)"
    rf"|{_TESTER_LEAD}(?:I\s+{_ADV}(?:get|got|see|saw|hit|am\s+(?:seeing|getting|hitting)|['’]m\s+(?:seeing|"
    rf"getting|hitting))\s+)?(?:(?:an?|the|this|these|some|new|another)\s+)*(?:[\w/.=+-]+\s+)?{_BUILDS}\s+"
    r"(?:(?:now|still|also)\s+)?(?:errors?|failures?|breakage|warnings?|fails|failed|breaks|broke|is\s+broken)"
    r"|" + _TESTER_LEAD + r"(?:(?:the|my|our|all)\s+)?(?:[\w/.-]+\s+)?(?:selftests?|kselftests?|kunit(?:\s+tests?)?|"
    rf"tests?|test\s+suite|test\s?cases?)\s+{_ADV}(?:fails?|failed|break|broke|hangs?|crash(?:es)?))"
    + r"(?=\s+(?:on|in|at|with|for|under|here|now|again|too|as\s+well|about|when|while)\b|\s*[.!;:,)]|\s*$)"
    r"(?![^.;]*\b(?:if|unless|whenever|should|expected|intended|by\s+design|on\s+purpose)\b)" + _NOT_IT + _NOT_OURS,
    re.I)
# A failure on the sender's own machine, CI or test run, or told with the patch after it: "After this patch, TDX fails
# to initialize on my EMR box.", "This triggers a lockdep splat on my machine.", "I see a KASAN report with this.",
# "Panics at boot for me.", "Oopses on my box.", "This locks up my test machine.", "I get -EIO from tdx_sys_setup()
# with this series.", "Our CI reports a TDX init failure with this patch." (each read as nothing: READY, exit 0). The
# sender's machine ("on my box", "for me", "my test machine") or "with this" places the failure; what failed is the
# patch, a pronoun, nothing, or what the machine runs (TDX, the kernel, boot): "The old code panics on my box." is
# not. Nothing but the patch taken out ("Without this patch, ...": _REMOVED) or a negation undoes it.
# Not a view ("returns -EIO on my reading of the spec").
_MINE = (r"(?:for\s+(?:me|us)|on\s+(?:my|our)\b(?!\s+(?:reading|understanding|read|view|part|list|radar|todo|watch)\b)"
         r"|(?:my|our)\s+(?:[\w-]+\s+){0,2}?(?:box|machine|system|server|host|"
         r"laptop|desktop|setup|board|platform|CI|rig|VM|guest)s?\b)")
_VICTIM = (r"(?:(?:the|my|our)\s+)?(?:TDX|SEAMCALL|KVM|kernel|machine|box|system|host|guest|boot|init|"
           r"initiali[sz]ation|module|[\w]+\(\))(?:\s+(?:init|initiali[sz]ation|module|setup|boot))?")
_SPLAT = (rf"(?:{_FAILURE}|(?:circular|recursive)\s+locking(?:\s+dependency)?|(?:possible\s+)?(?:circular\s+)?"
          r"locking\s+dependency|(?:soft|hard)\s+lockup|general\s+protection\s+fault|double[\s-]free|"
          r"(?:slab-)?out-of-bounds|scheduling\s+while\s+atomic|sleeping\s+function\s+called|(?:KASAN|UBSAN|KCSAN|KMSAN|lockdep|kmemleak|syzbot|RCU|hung[\s-]task|WARN(?:_ON)?|BUG)"
          r"(?:\s+(?:stall|report|splat|warning|complaint|error|failure|hit))?|stalls?)\b")
_FAILNOUN = rf"(?:{_SPLAT}|errors?\b|{_ERRCODE})"  # seen or got with the patch: "I get -EIO with this."
_PATCH_AFTER = (r"(?:with|since|after(?:\s+applying)?)\s+(?:this|it|(?:this|the|your|these)\s+(?:whole\s+)?(?:patch"
                r"(?:es|set)?|series|change|commit|version)|v\d+)\b")
_ON_MINE = lazy(
    rf"(?:^\W*|{_TESTER_LEAD}|[,;:]\s*|\b(?:{_SUBJECT}|(?P<noun12>{_NOUN})|{_VICTIM})\s+)(?:now\s+)?{_ADV}"
    r"(?:oops(?:es|ed)|panic(?:s|ked)|crash(?:es|ed)|hangs|hung|locks\s+up|locked\s+up|triple[\s-]faults?|reboots|"
    r"stalls|fails(?:\s+to\s+\w+|\s+with\s+-E[A-Z]{2,})|kills\s+[\w-]+|breaks\s+[\w-]+)\b"
    rf"[^.;!?]*?\b{_MINE}{_NOT_IT}{_NOT_OURS}"
    rf"|\b(?:{_SUBJECT}|(?P<noun13>{_NOUN}))\s+{_ADV}(?:locks\s+up|kills|hangs|crashes|wedges|bricks)\s+{_MINE}"
    rf"{_NOT_IT}", re.I)
# The same report, a splat the patch causes ("This triggers a lockdep splat.") or one seen with it ("I get -EIO from
# tdx_sys_setup() with this series."): forms of their own, each compiled only for a sentence holding its words (the
# corpus's replies name "error" and "see" often, none with a trigger or "with this patch").
_TRIGGERS = lazy(
    rf"\b(?:{_SUBJECT}|(?P<noun14>{_NOUN}))\s+{_ADV}(?:triggers|triggered|causes|caused|introduces|trips|tripped|"
    r"fires|fired)\s+"
    rf"(?:(?:a|an|the|this|these|some|new)\s+)?(?:[\w-]+\s+){{0,2}}?{_SPLAT}", re.I)
# Who sees it: the sender, their CI, a checker or the log ("KASAN reports a use-after-free in tdx_init() with this
# series applied.", "dmesg has a WARN from seamcall_err() after applying this."), or no one named ("Got an oops in
# seamldr_update() with this, full log below."): each read as nothing.
_SEER = (r"(?:\b(?:I|we|(?:my|our)\s+(?:[\w-]+\s+)?(?:CI|bot|tests?|runs?|boxe?s?|machines?)|KASAN|UBSAN|KCSAN|"
         r"KMSAN|lockdep|kmemleak|syzbot|syzkaller|dmesg|the\s+(?:kernel|kernel\s+log|log|console|bot|robot)|"
         r"0-?day)\s+)")
# Not one the patch made go away: "I saw the leak before your patch, with this series it's gone."
_NOT_GONE = r"(?![^.;!?]*\b(?:gone|went\s+away|goes\s+away|disappear\w*|vanish\w*|fixed|resolved|solved|cured)\b)"
_SEEN_WITH = lazy(
    rf"(?:{_SEER}{_ADV}"
    r"(?:see|get|got|saw|hit|observe|am\s+(?:seeing|getting|hitting)|['’]m\s+(?:seeing|getting|hitting)|reports?|"
    r"reported|shows?|showed|flags?|flagged|catches|caught|has|had|prints?|printed|logs|logged|spits\s+out|spat\s+out|"
    r"trips|tripped)"
    # No one named, the verb of having seen it ("Got an oops in seamldr_update() with this."), not "See the error ...".
    r"|^\W*(?:got|hit|saw|seeing|getting|hitting|observed))\s+(?:(?:a|an|the|this|these|some|new)\s+)?"
    rf"(?:[\w()-]+\s+){{0,3}}?{_FAILNOUN}[^.;!?]*?\b{_PATCH_AFTER}{_NOT_GONE}"
    # Or showing up: "A KASAN slab-out-of-bounds shows up in seamldr_install() with this patch."
    rf"|\b(?:a|an|the|this|some|new)\s+(?:[\w()-]+\s+){{0,2}}?{_FAILNOUN}\s+(?:shows|showed|turns|turned|pops|popped|"
    rf"comes|came)\s+up\b[^.;!?]*?\b{_PATCH_AFTER}"
    # Or named before the one who saw it: "Oh, that explains the leak I saw with your patch applied."
    rf"|\b{_FAILNOUN}\s+(?:that\s+|which\s+)?(?:I|we)\s+{_ADV}(?:see|saw|get|got|hit|observed?)\s+(?:here\s+)?"
    rf"{_PATCH_AFTER}{_NOT_GONE}", re.I)
# A failure a tester observed, the patch left out (the quote above places it): after a test's lead ("Tested on SPR: the
# update fails with -EINVAL every time.", "Tried this on GNR and the module update returns -EINVAL.", "Sorry, I can't
# give a Tested-by: ..."), or told with where or how often it fails ("seamldr_install() errors out with -EIO on my SPR
# machine.", "The update now fails with -EINVAL on SPR.", "The P-SEAMLDR update fails every time now."): each read as
# nothing. Not of the code before it ("The old code errors out ..."), nor of an input made to fail ("loading a
# truncated blob returns -EINVAL"), nor the patch's design or a condition (_DESIGN), nor a reason told ("... on SPR,
# because it has no loader").
_TESTED = (r"^\W*(?:(?:sorry|sadly|unfortunately|hmm+|so|but|nope|no)[\s,.!]+)*"
           r"(?:(?:I\s+|we\s+)?(?:(?:just|also|quickly)\s+)?"
           r"(?:tested|tried|booted|ran|checked|gave)\b[^.;:!?]{0,60}?(?::|,|\s+and\b)|(?:(?:I|we)\s+(?:can(?:not|['’]t)|"
           r"won['’]t|couldn['’]t)\s+(?:give|offer|provide|add|send)\s+(?:you\s+)?(?:a|my|our|any)|no)\s+tested-by\b"
           r"[^.;:!?]{0,40}?[:,;])\s*")
_OBSERVED_FAIL = (rf"(?:fail(?:s|ed)(?:\s+with\s+(?:{_ERRCODE}|an?\s+error))?|(?:errors|errored|bails|bailed)\s+out"
                  rf"(?:\s+with\s+{_ERRCODE})?|(?:returns|returned|gives|gave)\s+{_ERRCODE}|hangs|hung|stalls|stalled|"
                  r"times\s+out|timed\s+out|gets\s+stuck|got\s+stuck|(?:is|are)\s+broken|(?:starts|started)\s+failing)\b")
# Nor a subject of a supposition, a request or a time before ("If the update fails on my box, I'll say.", "Make sure
# it fails with -EINVAL every time the blob is bad.", "Before this series the update failed ...").
_OF_NOTHING = (r"(?!(?:if|unless|when|whenever|once|whether|should|would|could|might|may|will|can|must|shall|does|did|"
               r"do|that|sure|ensure|make|check|verify|expect|supposed|meant|think|worry|worried|fear|afraid|suspect|"
               r"guess|wonder|hope|assume|let|know|before|previously|earlier|formerly|used|"
               r"nothing|nobody|none|neither|no|not|never|hardly|rarely|seldom|old|older|previous|original|unpatched|upstream|mainline|vanilla|"
               r"stock|baseline|bad|invalid|corrupt\w*|truncated|malformed|bogus|wrong|broken|oversized|negative|error)\b)")
_OFTEN = (r"(?:(?:every\s+(?:single\s+)?|each\s+)time(?!\s+(?:the|a|an|it|its|there|this|that|one)\b)|"
          r"(?:on|at)\s+every\s+(?:boot|run|attempt|try)|consistently|"
          # A platform by its shape, not a list ("on EMR", "on Zen 4", "on a Kunpeng 920", "on i.MX8MP"):
          # harness.failshapes.NAME.
          rf"reliably|forever|100\s?%|on\s+(?:real\s+hardware|bare\s+metal|hardware)|on\s+(?:(?:an?|the)\s+)?{NAME}\b)")
_OBSERVED = lazy(
    rf"(?:{_TESTED}(?:{_OF_NOTHING}[\w()./-]+\s+){{0,5}}?{_ADV}{_OBSERVED_FAIL}"
    rf"|(?:^\W*|[,;:]\s*)(?:{_OF_NOTHING}[\w()./-]+\s+){{1,5}}?{_ADV}{_OBSERVED_FAIL}[^.;!?]*?\b(?:{_MINE}|{_OFTEN}))"
    # Nor of a reason, a case, another revision or another kernel: "... for an unrelated reason", "... with v1",
    # "It already fails with -EIO on my box with mainline."
    r"(?![^.;]*\b(?:because|as\s+(?:it|they|there)|which|so\s+that|when|whenever|while|until|unless|unrelated|"
    r"regardless|already|pre-?existing|mainline|upstream|baseline|vanilla|unpatched|before|previously|v\d+)\b)"
    + _DESIGN + _NOT_IT, re.I)
# The words each form's every match holds one of (a verb or noun of failing, "bisect", "reverting"): a form is compiled
# only for a sentence holding them (each is 4-6 ms to compile); the corpus's replies hold none.
_FAILS = ("break", "broke", "regress", " hang", "hung", "crash", "panic", "brick", "wedge", "kill", "fail", "oops",
          "splat", "lock", "deadlock", "reboot", "fault", "warn", "deref", "free", "leak", "corrupt",
          # A bug after the verb ("introduces a bug", "causes bugs"): "this bugs me" compiles nothing.
          " a bug", " the bug", " this bug", " these bug", "es bug", "rs bug", "d bug", " in bug",
          " to bug",
          # A failure back ("reintroduces the race"): its noun may be none of the words above.
          "reintroduc", "re-introduc", "brings back", "brought back",
          # A failure of other words (_FAIL_VERB): "times out", "gets stuck", "stalls", "blows up".
          "time out", "times out", "timed out", "errors out", "errored out", " stuck", " stall", " blow", " blew")
# And of the failures _FAIL_VERB reads besides: an error code returned (_RETURN_ERR), a log flooded, a run gone red.
_FAILED = (*_FAILS, *(f"{v} {e}" for v in ("returns", "returned", "gives", "gave") for e in ("-e", "tdx_", "an error")),
           "fills with", "filled with", "flooded", "spammed", "went red", "goes red", "turns red", "turned red")
# The patch before the failure (_FAILS_WITH, _FAILS_APPLIED): "with this", "since the ", "after applying", ...
_WITHS = ("applying", "picking up", "pulling", "merging", "after taking",
          "with this", "with it", "with that", "with the ", "with your", "with patch", "with these",
          "with those", "with v", "since this", "since it", "since that", "since the ", "since your", "since patch",
          "since these", "since those", "since v")
# The patch after the failure (_FAILS_AFTER): "with this", "since the ", "after applying", ...
_AFTERS = tuple(f" {p} {o}" for p in ("with", "since", "after") for o in ("this", "it", "the ", "that", "your", "patch",
                                                                        "these", "those", "applying"))
# Of an earlier revision a later one answered: "This patch broke boot in v1, v2 fixes it.", "... fixed in v3."
_ANSWERED = lazy(r"\bv\d+\s+(?:fixes|fixed|solves|solved|resolves|resolved|cures|cured)\b"
                 r"|\bv\d+\s+(?:is|works|boots|runs|builds)\s+(?:fine|ok|okay|good|well|cleanly)\b"
                 r"|\b(?:fixed|solved|resolved|gone)\s+(?:in|by|with)\s+v\d+\b"
                 # Or passing with this one: "The selftest fails on v1 but passes with this patch." argues for it.
                 r"|\bbut\s+(?:it\s+)?(?:passes|works|boots|builds|succeeds)\s+(?:(?:fine|again|now)\s+)?"
                 r"(?:with|since|after\s+applying)\s+(?:this|it|the\s+(?:patch|series|fix)|v\d+)\b"
                 r"(?!\s+(?:\w+\s+)?(?:reverted|dropped|removed|backed\s+out))", re.I)
# The failure said mended by this patch, in the sentence that names it: "Bisected the hang I reported on v2: it's fixed
# by this patch." (it blocked as a regression and a request to drop); not under a negation or a doubt before it ("I
# don't think it's fixed by this patch.").
_MENDED_HERE = lazy(r"\b(?:(?:it|that|this|which)(?:['’]s|\s+is|\s+was|\s+got|\s+gets|\s+has\s+been)|is|was|got|gets|"
                    r"(?:has|have)\s+been)\s+(?:now\s+|indeed\s+|also\s+)?(?:fixed|solved|resolved|cured|gone)\s+"
                    r"(?:by|with|in)\s+(?:this|the|your)\s+(?:(?:new|latest|current)\s+)?(?:patch|series|version|revision|"
                    r"change|fix|posting|v\d+)\b"
                    r"|\b(?:this|the|your)\s+(?:patch|series|change|version|revision)\s+(?:indeed\s+|also\s+)?"
                    r"(?:fixes|solves|resolves|cures)\s+(?:it|that|this|the\s+(?:hang|crash|splat|warning|oops|issue|"
                    r"problem|bug|regression|failure))\b"
                    # "The build breakage in v1 is fixed here.", "The hang is gone now." (not "..., but ...")
                    r"|\b(?:is|are|was|were|got|gets|(?:has|have)\s+been)\s+(?:now\s+|indeed\s+|also\s+|finally\s+)?"
                    r"(?:fixed|solved|resolved|cured|gone|addressed)\s+(?:here|now|in\s+this\s+one)\b"
                    r"(?![^.;]*\b(?:but|except|though|although)\b)", re.I)


def _mended_here(sentence: str) -> bool:
    """Whether ``sentence`` says the failure it names is mended by this patch (_MENDED_HERE), no negation or doubt
    before those words."""
    m = _MENDED_HERE().search(sentence)
    return m is not None and _NOT().search(sentence, 0, m.start()) is None \
        and _UNSURE().search(sentence, 0, m.start()) is None


# A failure its sender saw before said still there, or said not fixed by this patch, as a "me too" on a fix says it:
# "Same here: the splat still shows up with this series applied.", "The lockdep warning I saw on v1 is still there in
# this version.", "The hang I reported on v2 is not fixed by this series.", "Your patch does not fix it on my machine."
# (each read as nothing: READY). Not without the patch, on mainline, or conceded ("..., but it's harmless").
_STILL = (r"(?:(?:is|are)\s+still\s+(?:there|present|here|happening|reproducible|visible|showing\s+up)|"
          r"still\s+(?:shows?\s+up|happens|reproduces|occurs|triggers|fires|appears|hits|persists))\b")
_STILL_THERE = lazy(rf"\b(?:{_SPLAT}|hang|corruption|the\s+(?:bug|problem|issue))(?:\s+(?!(?:but|and|or|which)\b)"
                    rf"[\w()./-]+){{0,7}}?\s+{_STILL}"
                    r"(?![^.;]*\b(?:but|though|although|harmless|expected|intended|benign|fine)\b)"
                    + _NOT_IT + _NOT_OURS, re.I)
# The bug the patch fixes still hit with it applied: "I was hitting this bug too, and with your patch I still hit it.",
# "After applying this patch I still see it on my box." (not "without", not "no longer").
_STILL_HIT = lazy(rf"\b{_PATCH_AFTER}(?:\s+applied)?\s*,?\s+(?:I|we)\s+(?:can\s+|do\s+)?still\s+(?:hit|see|get|trigger|"
                  r"reproduce)\s+(?:it|this|that|them|the\s+[\w-]+)\b" + _NOT_OURS, re.I)
_NOT_FIXED = lazy(r"\b(?:(?:is|are|was|were)(?:\s+still)?\s+not|(?:is|are|was|were)n['’]t)\s+(?:really\s+|actually\s+)?"
                  r"(?:fixed|resolved|solved|cured|gone)\s+(?:by|with|in)\s+(?:this|the|your)\s+(?:(?:new|latest)\s+)?"
                  r"(?:patch|series|version|revision|change)\b"
                  r"|\b(?:this|the|your)\s+(?:patch|series|version|revision|change|fix)\s+(?:still\s+)?"
                  r"(?:does\s+not|doesn['’]t|did\s+not|didn['’]t)\s+(?:really\s+|actually\s+)?(?:fix|solve|resolve|cure)"
                  r"\s+(?:it|this|that|them|the\s+[\w-]+)\b" + _NOT_OURS, re.I)


_FORMS: tuple[tuple[Callable[[], Searcher], bool, tuple[tuple[str, ...], ...]], ...] = (
    (_STILL_THERE, False, (("still",), ("there", "present", "here", "happen", "reproduc", "visible", "show", "occur",
                                        "trigger", "fire", "appear", "hit", "persist"))),
    (_NOT_FIXED, True, (("fix", "solv", "resolv", "cure", "gone"), (" not", "n't", "n’t"))),  # not "another"
    (_STILL_HIT, False, ((" still ",), (" with ", " since ", " after "),
                         (" hit", " see", " get", "trigger", "reproduc"))),
    (_BROKE_NAMED, False, (_FAILS,)),
    (_BROKE_UNNAMED, False, (_FAILS,)),
    (_MAKES_ERR, False, ((" makes ", " made ", " causes ", " caused "),
                         (*(f"{v} {e}" for v in ("return", "give") for e in ("-e", "tdx_", "an error")), "error out",
                          "errors out"))),
    (_FAILS_ON_REVISION, True, ((" with v", " on v", " since v"), ("boot", "oops", "panic", "crash", "hang", "lock",
                                                                   "fault"))),
    (_BISECTED, False, (("bisect", "first bad", "culprit"),)),
    (_REVERT_MENDS, False, (("revert",), ("fix", "solv", "resolv", "cure", "again", "away", "disappear", "vanish",
                                          "gone"))),
    (_GONE_ON_REVERT, False, (("revert",), ("away", "disappear", "vanish", "gone"))),
    # Its own negation ("no longer boots") is the report: read with own_negation.
    (_FAILS_WITH, True, (_WITHS, ("boot", "start", "come up", "build", "compile", "resume", "suspend", "work", "load",
                                  "probe", "initiali", "never"))),
    (_FAILS_APPLIED, False, ((*_WITHS, " after ", "applied"), _FAILED)),
    (_FAILS_AFTER, True, ((*_AFTERS, "first bad"), (*_FAILS, "boot", "build", "compile", "resume", "first bad"))),
    (_FAILS_LAST, False, (_AFTERS, _FAILED)),
    (_NO_BUILD, True, (("n't ", "not ", "no longer", "fail"), ("boot", "build", "compil", "link"))),
    # Each word at a word's start: "changelog" holds "hang", "default" "fault"; the place each match holds (_MINE).
    (_ON_MINE, False, (tuple(f" {w}" for w in ("fail", "oops", "panic", "crash", "hang", "hung", "lock", "fault",
                                               "triple", "reboot", "stall", "kill", "break", "wedge", "brick")),
                       (" my", " our", " for me", " for us"))),
    (_TRIGGERS, False, ((" trigger", " caus", " introduc", " trip", " fire"),)),
    (_SEEN_WITH, False, ((" with ", " since ", " after "),
                         (" this", " it ", " it.", " it,", " these", " your", " v", " the patch", " the series",
                          " the change", " the commit", " the version", " the whole"),
                         (" see", " get", " got", " saw", " hit", " observ", " report", " show", " flag", " catch",
                          " caught", " has ", " had ", " print", " log", " spit", " spat", " trip", " up"))),
    # A Tested-by refused is the report's own negation ("I can't give a Tested-by: ..."); its words hold no other.
    (_OBSERVED, True, (("fail", "errors out", "errored out", "bails out", "bailed out", " hang", " hung", " stall",
                        "times out", "timed out", " stuck", "broken",
                        *(f"{v} {e}" for v in ("returns", "returned", "gives", "gave") for e in ("-e", "tdx_"))),
                       ("tested", "tried", "booted", "ran ", "checked", "gave ", " my", " our", "for me", "for us",
                        "every", "each time", "consistently", "reliably", "forever", "100", " on "))),
    (_BUILD_BROKEN, False, (("break", "broke", "warn", "complain", "error", "fail", "barf", "choke", "unhappy", " hang",
                             "crash"), ("build", "boot", "compil", "config", "bisect", "link", "w=", "c=", "sparse",
                                        "smatch", "objtool", "modpost", "gcc", "clang", "test"))),
    *SHAPES,
)


def may_report(text: str) -> bool:
    """Whether ``text`` may hold a report regression would read: ASCII text with no form's words (_FORMS' gates) in
    it holds none, told without splitting it into sentences (a reply's quote of a whole patch is thousands of them)."""
    if not text.isascii():
        return True
    low = " " + " ".join(text.lower().split())
    return any(holds_each(low, gates) for _, _, gates in _FORMS)


def regression(text: str, request_in: Callable[[str, Searcher, bool], str | None]) -> Refusal | None:
    """The first sentence of ``text`` (a reply's own words) reporting that the patch breaks something (one of _FORMS),
    read by ``request_in`` (harness.droprequest.request_in: no negation, condition or question) in the sentence or a
    clause drawing it from what came first; as a Refusal (harness.refusals: the objection is a request to drop, as
    "I reverted this patch and the machine boots again." already was); None when there is none."""
    told = sentences(text)
    for n, sentence in enumerate(told):
        if sentence.endswith("?") or (said := _reported(sentence, request_in) or told_around(told, n)) is None \
                or _ANSWERED().search(sentence) or _ANSWERED().search(told[n + 1] if n + 1 < len(told) else "") \
                or _mended_here(sentence):
            continue  # a report of an earlier revision a later one answered ("v2 fixes it") is none
        # Taken back in its own words ("Bisected to this patch, but it was a false alarm."): none.
        return None if any(cleared(s) for s in told[n:]) else said
    return None


def _reported(sentence: str, request_in: Callable[[str, Searcher, bool], str | None]) -> Refusal | None:
    """regression's reading of one sentence by each form its words may match (_FORMS)."""
    low = " " + " ".join(sentence.lower().split())  # " hang" is not "change"; "with  this" is "with this"
    for form, own, gates in _FORMS:
        if sentence.isascii() and not holds_each(low, gates):
            continue
        for clause in (sentence, *drawn_clauses(sentence)):
            said = request_in(clause, form(), own)
            m = form().search(said) if said is not None else None
            # The failure with the patch taken out: "I reverted 2/3 and it still hangs." is of something else; one
            # supposed in the clause before it ("If TDX init hangs with this applied, we revert it.") is none.
            if m is not None and form in _MINE_FORMS and _IF_FIRST().match(said or ""):
                continue  # "If the module is busy, it hangs on my box.": under a condition put first
            if m is not None and (form is _OBSERVED or form in _SHAPE_FORMS) and tag_withdrawn(sentence):
                continue  # "My Tested-by was premature, it fails on EMR.": the tag taken back (harness.tagwithdrawal)
            if m is not None and _REMOVED().search(said or "", 0, m.start()) is None \
                    and _SUPPOSED().search(said or "", 0, m.start()) is None:
                return refusal_at(sentence, m)
    return None


_MINE_FORMS = (_ON_MINE, _TRIGGERS, _SEEN_WITH)
_SHAPE_FORMS = tuple(form for form, _, _ in SHAPES)
_SUPPOSED = lazy(r"\b(?:if|unless|whenever|in\s+case|suppose|supposing|assuming)\b[^,;:]*$", re.I)
_IF_FIRST = lazy(r"^\W*(?:if|unless|when|whenever|once|should|in\s+case|as\s+long\s+as|assuming)\b", re.I)
_REMOVED = lazy(r"\b(?:revert(?:ed|ing)?|dropp(?:ed|ing)|backed\s+out|without\s+(?:this|it|that|v\d+|(?:the|your)\s+"
                r"(?:patch(?:es|set)?|series|commits?|change)|patch\s+\d+|\d+/\d+))\b", re.I)


# The reporter's later word that the patch is not what broke it: "False alarm.", "My mistake, it was a stale build.",
# "Works now.", "It boots fine now.", "Not this patch's fault.", "Please disregard my report." A report lifted only by
# its own sender (harness.dropstands.drop_kept), or by a later revision changing the patch (a report below v2 is carried
# to v3 only where v3's patch is the same change by git patch-id, as every request to drop is).
_CLEARED = gated(r"\b(?:false\s+(?:alarm|positive)|my\s+(?:mistake|bad|fault|error)"
                 r"|(?:it\s+)?(?:works|boots)\s+(?:fine\s+|again\s+)?now"
                 r"|it\s+(?:was|is)\s+(?:my\s+(?:own\s+)?\w+|a\s+(?:stale|bad|broken|local)\s+\w+)"
                 r"|(?:is\s+)?not\s+(?:this|the|your)\s+(?:patch|series|commit)['’]?s?\s+fault"
                 r"|not\s+(?:caused\s+by|related\s+to|due\s+to)\s+(?:this|the|your)\s+(?:patch|series|commit)"
                 r"|(?:disregard|ignore|scratch|withdraw|retract)\s+(?:my|that|the)\s+(?:earlier\s+|previous\s+)?"
                 r"(?:report|bisect\w*|regression\s+report))\b", re.I)
_UNSURE = lazy(r"\b(?:if|unless|maybe|perhaps|might|may|could|would|whether)\b", re.I)
_NOT = lazy(r"\b(?:not|never|no)\b|n['’]t\b", re.I)


def cleared(text: str) -> str | None:
    """The sentence of a reply's own words (its sender's, after their report) saying the patch is not what broke it
    (_CLEARED: "False alarm, it was my config."), with no negation before it, no condition and no question; None when
    there is none."""
    for sentence in sentences(text):
        m = _CLEARED().search(sentence)
        if m is None or sentence.endswith("?") or _UNSURE().search(sentence, 0, m.start()) \
                or _NOT().search(sentence, 0, m.start()):
            continue
        return sentence
    return None
