"""The words a report that the patch breaks something is built of (harness.regressions' forms).

The words of a report that the patch breaks something (harness.regressions' forms are built of them): the patch,
a verb of breaking, a failure, what makes a failure none of the patch's."""

# Pattern fragments (strings), each read inside harness.regressions' compiled forms, never compiled alone.
_SUBJECT = r"(?:this(?:\s+(?:one|change|version|revision))?|it|that)"
# The revision by its name, the reply in its thread: "v2 oopses in tdx_init.", "v3 breaks boot on SPR." (read as
# nothing: v2 READY). Another revision's named as fine in the same sentence (_ANSWERED) makes it none.
_REVISION = r"(?:\bv\d+(?:\s+of\s+(?:this|the|your)\s+(?:patch(?:set)?|series))?)"
_BREAKS = (r"(?:break(?:s|es)?|broke|(?:has|have)\s+(?:just\s+)?broken|is\s+breaking|regress(?:es|ed)|"
           r"(?:seems|appears)\s+to\s+(?:break|regress))"
           # Not code breaking out of a loop ("It breaks out of the loop on BUSY."), nor the other senses of the verb:
           # splitting or untying ("breaks the function into two", "breaks up the helper", "breaks the include cycle",
           # "breaks the long line"): the patch breaks a thing.
           r"(?!\s+(?:out|off|away|early|from|loose|free|down|even|apart|up|ties?|the\s+(?:loop|retry|while))\b)"
           r"(?![^.;:,]*\binto\b)(?!\s+(?:the|a|an|this|that|its)\s+(?:[\w-]+\s+)?(?:lines?|dependency|dependencies|"
           r"cycles?|circular|ties?|links?|chains?|coupling)\b)(?=\s+\w)")
# What a failure said with the patch's design or its cure is not: "fails cleanly instead of hanging", "the hang is
# gone", "fails if the module is missing, as it should".
_DESIGN = (r"(?![^.;]*\b(?:if|unless|whenever|should|instead|rather\s+than|gracefully|cleanly|properly|correctly|"
           r"safely|expected|intended|(?:by|as)\s+design(?:ed)?|on\s+purpose|gone|go(?:es)?\s+away|went\s+away|disappear\w*|vanish\w*|"
           r"fixed|resolved|solved|cured|fast|less\s+often|rarely|correct|desired|what\s+we\s+want|the\s+point|"
           r"without\s+(?:this|the|your|it))\b)")
_FAILURE = (r"(?:(?:boot|build|compile|compilation|early[\s-]boot|kernel|soft|hard|W=\d|C=\d|sparse|smatch|clang|gcc|"
            r"compiler|objtool|modpost)\s+)?(?:hangs?|crash(?:es)?|panics?|"
            r"regressions?|failures?|oops(?:es)?|splats?|lock-?ups?|deadlocks?|reboots?|breakage|triple[\s-]faults?|"
            r"warn(?:ing|_on)?s?|(?:null(?:[\s-]pointer)?\s+)?dereferences?|use-after-free|memory\s+leaks?|leaks?|"
            r"(?:data\s+)?corruption|bugs?)")
# An error code returned as a failure, not of a case the code means to fail on ("returns -EINVAL for an oversized blob",
# "... when the module is busy", "on a bad image"): "This makes tdx_sys_setup() return -EIO." is a report.
_ERRCODE = r"(?:-E[A-Z]{2,}\b|TDX_(?!SUCCESS)[A-Z_]{3,}\b)"
_CASE = (r"(?![^.;]*\b(?:when|whenever|while|until|unless|which|so\s+(?:that|the|it|its)|to\s+(?:its|the|their)\s+"
         r"callers?|for\s+(?!(?:me|us)\b)|on\s+(?:a|an|bad|invalid|short|corrupt\w*|truncated)\b))")
_RETURN_ERR = rf"(?:(?:return(?:s|ed)?|g[ai]ves?)\s+(?:{_ERRCODE}|an?\s+error)|error(?:s|ed)?\s+out\b){_CASE}"
# "kills" a machine or a process, not code the patch removes ("Nice, this kills the ugly open-coded retry loop.").
_HARMS = (rf"(?:{_BREAKS}|(?:hangs|crashes|panics|bricks|wedges|kills)\s+(?:the|my|our|every|all|this)\b(?!\s+same\b)"
          r"(?<!kills\sthe)(?<!kills\sthis)(?<!kills\sall)(?<!kills\severy)|kills\s+(?:the|this|all|every)\s+"
          r"(?:[\w-]+\s+){0,2}?(?:box|machine|system|host|guest|VM|TD|kernel|process|boot|network|performance|"
          r"throughput|CPUs?|cores?|tasks?|threads?)\b"
          # Making a thing fail, named any way ("This commit makes TDX init hang.": read as nothing), in its bare
          # verb: not "makes the failure path clearer", nor the patch's design ("makes it fail cleanly instead"). Told
          # as "causes X to" too: "This causes tdx_cpu_enable() to fail." (read as nothing). Making it return an error
          # code is _MAKES_ERR's.
          r"|(?:makes|made|causes|caused)\s+(?!(?:nothing|nobody|none)\b)(?:[\w()./-]+\s+){1,3}?(?:to\s+)?(?:hang|"
          r"crash|panic|fail|oops|reboot|triple[\s-]fault|splat|warn|deadlock|lock\s+up|blow\s+up|get\s+stuck)\b"
          + _DESIGN +
          rf"|(?:causes|caused|introduces|introduced|triggers|triggered|results\s+in|resulted\s+in|leads\s+to|led\s+to)"
          rf"\s+(?:a|an|the|this|these)?\s*{_FAILURE}\b"
          # A failure fixed once, back with the patch: "This version reintroduces the leak that v2 had fixed."
          rf"|(?:reintroduc(?:es|ed)|re-introduc(?:es|ed)|brings\s+back|brought\s+back)\s+(?:a|an|the|this|these|that)?"
          rf"\s*(?:[\w-]+\s+){{0,2}}?(?:{_FAILURE}|races?|race\s+conditions?|double[\s-]frees?|UAF|underflows?|overflows?)\b"
          # Failing where or when, the verb alone: "This series panics on my EMR box.", "v2 oopses in tdx_init()." (each
          # read as nothing); never under a condition put after it ("It hangs in the loop if the module stays busy").
          r"|(?:oops(?:es|ed)|panic(?:s|ked)|crash(?:es|ed)|hangs|hung|triple[\s-]faults?|locks\s+up|locked\s+up|"
          r"fails\s+to\s+(?:boot|build|compile|resume|load|probe))\b"
          r"(?=\s+(?:on|in|at|during|while|early|under|for\s+me|here|right\s+away|immediately)\b|\s*[.!]*\s*$)"
          r"(?![^.;]*\b(?:if|unless|whenever|should)\b))")
# Nothing broken ("This patch breaks no ABI.", "It regressed nothing."), or not by the patch ("... the same way
# without this patch").
_NOT_IT = r"(?!\s+(?:nothing|no|none|neither|nobody)\b)(?![^.;]*\bwithout\s+(?:this|the|your|it)\b)"
# A failure the kernel without the patch shares, or one known: "The selftest fails on my box, but it does on mainline
# too.", "That test hangs on my box too, a known issue with the BMC." (each read as a report).
_NOT_OURS = (r"(?![^.;]*\b(?:(?:on|with|in)\s+(?:mainline|upstream|vanilla|baseline)"
             r"(?!\s+(?:clang|gcc|llvm|binutils|rust))|unpatched|known\s+(?:issue|problem|bug)|unrelated|pre-?existing|"
             r"regardless)\b)")
# The sender's machine put first: "On my box this makes tdx_sys_setup() return -EIO." (read as nothing).
_AT_MINE = r"^\W*(?:on|for|with|in)\s+(?:my|our)\s+(?:[\w-]+\s+){0,3}?[\w-]+\s*,?\s+"
