"""The kernel's own words for a defect of code: unused, uninitialized, sleeping in atomic context, an ABI break."""

from __future__ import annotations

# Why: harness.concernwords reads a flaw by everyday words ("wrong", "leaks", "racy"); a reviewer of kernel code
# names one in the kernel's terms, which hold none of them, and was read as nothing, the gate READY: "This is dead
# code now.", "seamldr_call() sleeps in atomic context.", "The lock isn't held on this path.", "Sparse warns about
# the cast.", "This breaks bisection.", "The failure path returns 0.", "The pr_err() has no trailing newline."
# These are alternatives of concernwords' flaw words, so what denies, fixes, conditions or concedes one there
# ("This fixes the NULL pointer dereference.", "This does not break the build.", "..., which is fine.") does so here.
# Sources of the terms: Documentation/dev-tools (sparse, smatch, coccinelle, kasan, kcsan, ubsan, kmemleak, lockdep),
# Documentation/process/submitting-patches.rst (bisection), the messages of might_sleep() ("sleeping function
# called from invalid context") and of the scheduler ("scheduling while atomic").

# Code no build uses or no path reaches; a value read before it is set. Not a name of code ("unreachable()").
_UNUSED = (r"(?<!\()unused(?!\()|set\s+but\s+(?:not|never)\s+used|dead\s+code|unreachable(?!\()|"
           r"uninitiali[sz]ed|used\s+before\s+(?:being\s+)?(?:set|initiali[sz]ed|assigned)")
# Code no one uses, its removal approved in the same sentence: "This is unused, so dropping it is fine."
_UNUSED = rf"(?:{_UNUSED})(?![^.;!?]*\b(?:dropping|removing|deleting|killing)\s+(?:it|this|that|them)\b)"
# A pointer's lifetime.
# Memory reached past its object: "an out-of-bounds read", "OOB write" (KASAN's slab-out-of-bounds report).
_POINTER = (r"null(?:\s+pointer)?\s+deref\w*|use[\s-]after[\s-]free|uaf|double[\s-]free|"
            r"(?:out[\s-]of[\s-]bounds|oob)\s+(?:read|write|access|accesse?s|load|store|index|indexing)")
# Context: sleeping where it must not, a lock not held. Not the context named alone ("This runs with preemption
# disabled.": a fact the reviewer reminds of, as often as a flaw).
_CONTEXT = (r"(?:sleeps?|sleeping|schedul(?:es?|ing)|blocks?|blocking)\s+(?:\w+\s+){0,2}?(?:in|while|from|under)\s+"
            r"(?:an?\s+)?(?:atomic|irq|interrupt|nmi)\b(?:\s+context)?|sleeping\s+function|"
            # What the context forbids, said of this code: "You can't sleep here.", "We must not schedule here."
            r"(?:can['’]?t|cannot|can\s+not|must\s+not|mustn['’]t|may\s+not)\s+(?:\w+\s+)?(?:sleep|schedule|block)\b|"
            # The context the change puts code in ("This is now called from atomic context.", "Ah, so now this runs
            # with the rtnl held."): the one named alone is a fact reminded of, the one it now has is the patch's doing.
            r"now\s+(?!that\b)(?:\w+\s+){0,2}?(?:called|callable|run|runs|running|invoked|executed|reached|reachable|"
            r"entered)\s+"
            r"(?:\w+\s+){0,2}?(?:(?:from|in|under|within|inside)\s+(?:an?\s+|the\s+)?(?:atomic|irq|interrupt|hardirq|"
            r"softirq|nmi)\b|(?:with|while\s+holding)\s+(?:the\s+|a\s+)?[\w>.-]+(?:\s+[\w-]+)?\s+(?:held|taken)\b|"
            r"(?:with|while)\s+(?:interrupts|irqs|preemption|bh|bottom\s+halves)\s+(?:disabled|off)\b|"
            r"under\s+(?:the\s+|a\s+)?(?:[\w>.-]+\s+)?(?:spin\s*lock|spinlock|raw\s+lock|rtnl|rcu_read_lock\(\)))|"
            r"(?:is\s+not|isn['’]t|are\s+not|aren['’]t|not|never)\s+held|without\s+(?:holding|taking)\s+(?:the\s+|a\s+|"
            r"its\s+|any\s+)?(?:\w+\s+)?(?:lock|mutex|spinlock|rcu_read_lock\(\))")
# A tool of the kernel's warning of a defect (not "checkpatch reports no warnings.", nor "lockdep reports" as a noun),
# or unhappy with it: "lockdep is not happy with this one:" above its splat (READY, h701).
_TOOLS = (r"(?:sparse|smatch|coccinelle|coccicheck|coverity|clang|gcc|checkpatch|lockdep|kasan|kcsan|ubsan|"
          r"kmemleak|objtool|syzbot|w=1)\s+(?:(?:warns|complains|flags|splats|screams|whines|barfs|moans)"
          r"(?!\s+(?:no|nothing|none|zero|not)\b)|(?:is|was)(?:\s+not|n['’]t)\s+(?:very\s+|too\s+|at\s+all\s+)?happy)")
# A fault the CPU raises on the code (the SDM's names): "Older modules will take a #GP here." (READY, h701).
_FAULT = (r"(?:take|takes|raise|raises|trigger|triggers|cause|causes|hit|hits)\s+(?:a\s+|an\s+)?(?:#(?:GP|UD|PF|VE|MC|"
          r"DF|DB)|general\s+protection\s+faults?|triple\s+faults?|double\s+faults?)")
# A posting's parts Documentation/process/submitting-patches.rst asks for, lacking or wrong: "This patch has no commit
# message at all.", "Co-developed-by without a matching Signed-off-by.", "The subject says nothing about what
# changes.", "The subject line is longer than 75 characters." (each READY, h701).
_POSTING = (r"(?:has|have|with|contains?|carries)\s+no\s+(?:commit\s+(?:message|log|description)|changelog|"
            r"(?:patch\s+)?description|signed-off-by|sob|s-o-b)|"
            r"without\s+(?:a\s+|the\s+|any\s+|his\s+|her\s+|their\s+)?(?:matching\s+|corresponding\s+)?"
            r"(?:signed-off-by|sob|s-o-b)|says\s+nothing\s+(?:about|of|on)\s+(?:why|what|how|the|this|its)|"
            r"(?:longer|wider)\s+than\s+(?:7[2-5]|80|100)\s+(?:char(?:acter)?s|columns|cols)")
# Breakage of what others rely on: bisection, the ABI, userspace. Not the build: harness.regressions reads a build
# broken as a tester's report, and places it (below a reviewer's proposal it judges the proposal).
_BREAKS = (r"break(?:s|ing)?\s+(?:the\s+)?(?:bisect\w*|abi|uapi|kabi|user\s*space)|"
           # A patch that does not apply, or mangled by the mailer (Documentation/process/email-clients.rst).
           # A rule or a comment "doesn't apply here" is no patch ("This comment doesn't apply to v3.").
           r"(?:(?<=\bpatch\s)|(?<=\bseries\s)|(?<=\bpatches\s))(?:\w+\s+)?(?:does\s+not|doesn['’]t|do\s+not|"
           r"don['’]t|no\s+longer|didn['’]t)\s+apply(?!\s+(?:here|there|anymore|in\s+this\s+case)\b)|"
           r"(?<=\bit\s)(?:\w+\s+)?(?:does\s+not|doesn['’]t|no\s+longer|didn['’]t)\s+apply(?:\s*(?:[,.;:!]|$)|\s+(?:cleanly|"
           r"on\b|to\s+(?:[\w.-]*next|mainline|master|tip|the\s+[\w./-]+\s+(?:tree|branch))))|whitespace[\s-]damaged|"
           r"(?:is\s+not|isn['’]t|are\s+not|aren['’]t|not|no\s+longer)\s+bisect(?:able|[\s-]safe)|unbisectable|"
           r"(?:abi|uapi|userspace)\s+break(?:s|age)?")
# An error path reporting success: the caller cannot see the failure.
_SUCCESS = (r"(?:error|failure|fail|err|unwind)\s+paths?\s+returns?\s+(?:0|zero|success|true)|"
            r"returns?\s+(?:0|zero|success|true)\s+(?:on|in|after|for)\s+(?:the\s+|an?\s+)?(?:error|failure)")
# Two places disagreeing (not the sender with someone: "I disagree on ..." is harness.concernwords' preference).
_DISAGREE = r"(?<!\bI\s)(?<!\bwe\s)disagree\s+(?:on|about|in|over)"
# A printk's line left open: the next message continues it (Documentation/core-api/printk-basics.rst).
# Not "no newline at the end" (of a file: a diff's own marker).
_NEWLINE = (r"(?:no|without|lacks?|missing)\s+(?:a\s+|the\s+|any\s+)?trailing\s+(?:newline|\\n)|"
            r"(?:lacks?|missing)\s+(?:a\s+|the\s+)?(?:newline|\\n)")

KERNEL_FLAW = "|".join((_UNUSED, _POINTER, _CONTEXT, _TOOLS, _FAULT, _POSTING, _BREAKS, _SUCCESS, _DISAGREE,
                        _NEWLINE))
"""The alternatives, as a regular expression's source (case-insensitive, inside ``\\b(?:...)\\b``), of a defect
named in the kernel's terms; harness.concernwords reads them with its own flaw words."""
