"""A flaw word that names the bug the patch fixes or a lack this version mends, not a flaw of the patch."""

# Pattern fragments (strings), read inside harness.concernwords' _NOT_THIS, never compiled alone.
# The bug the patch fixes, told as how long it has lasted or as the sender's own past with it: "I wonder how long this
# has been broken.", "That's been racy since 5.10.", "Hah, I've hit exactly this bug last week.", "I remember chasing
# this bug two years ago.", "This has been on my TODO list forever." (each blocked: a flaw word read as this code's).
# Not where the sentence names this patch or version, or says the flaw stays or turns ("This has been broken since
# v2 of your series.", "With your series I hit this bug again.", "..., but the patch leaks."): read as before.
_OURS = (r"^(?![^.;!?]*\b(?:still|again|anymore|worse|either|your|applied|applying|v\d+|patch(?:es)?\s+#?\d|\d+/\d+|"
         r"(?:this|the|that)\s+(?:patch|series|change|version|revision|respin|branch|rework)|but|however|though|"
         r"although|yet|since\s+(?:you|this|that|these|the\s+(?:last|previous|earlier|new|first)))\b)")
# "since" of a time, not of a cause ("This has been racy since the lock is dropped early." states a flaw).
_SINCE = (r"since\s+(?:v?\d|commit\b|[0-9a-f]{7,}\b|(?:19|20)\d\d|(?:the\s+)?(?:very\s+)?(?:beginning|start|dawn|"
          r"conversion|day\s+one|early\s+days|old\s+days)\b|forever\b|ages\b|then\b|(?:it|this|that|the\s+\w+)\s+"
          r"(?:was|were|got)\s+(?:first\s+)?(?:merged|added|introduced|written|converted|upstreamed)\b|(?:last|early|late)"
          r"\s+(?:year|month|week|release|cycle)\b)")
_LASTING = (r"(?:" + _SINCE + r"|for\s+(?:years|ages|months|weeks|decades|so\s+long|a\s+(?:long\s+)?(?:while|time)|"
            r"(?:several|many|a\s+few|two|three)\s+(?:years|releases|months))\b|all\s+along\b|from\s+(?:day\s+one|the\s+"
            r"(?:start|beginning))\b)")
_LASTED = (_OURS + r"[^.;!?]*?(?:\b(?:(?:has|have|must\s+have|may\s+have|might\s+have|could\s+have)\s+been|['’]s\s+"
           r"been|['’]ve\s+been)\s+(?:[\w-]+\s+){0,4}?(?:" + _LASTING + r"|forever\b)|"
           # "This bug has annoyed me for years.", "The leak has bitten us since 6.1." (not "has to spin for years")
           r"\b(?:has|have)\s+(?!(?:to|got|no|not|never|nothing)\b)(?:[\w-]+\s+){1,4}?" + _LASTING + r"|"
           r"\bhow\s+long\s+(?:this|that|it)\s+(?:has|['’]s)\s+been\b)")
_LIVED = (_OURS + r"\W*(?:(?:hah?|haha|heh|ugh|oh|wow|yeah|yes|ah|funny|fwiw|lol|ouch)[\s,!.]+)*"
          r"I(?:['’]ve|\s+have|\s+had)?\s+(?:(?:also|just|actually|literally|even|myself|once|exactly|been)\s+)*"
          r"(?:(?:remember|recall)\s+(?:chasing|hitting|debugging|bisecting|fighting|running\s+into)|hit|"
          r"ran\s+into|run\s+into|chased|debugged|bisected|"
          r"stumbled\s+(?:on|upon|over|across)|tripped\s+over|fought|been\s+(?:hitting|chasing|fighting))\s+"
          r"(?:exactly\s+|precisely\s+)?(?:this|that|the\s+same)\s+(?:exact\s+|very\s+|same\s+)?bugs?\b")
# A failure the sender saw before, which the bug the patch fixes explains: "Oh, that explains the broken suspend I saw
# last month." (it blocked since "Oh" leads a finding; not "That explains why the loop spins forever.").
_EXPLAINS = (_OURS + r"\W*(?:(?:oh|ah|aha|heh|huh|wow)[\s,!.]+)*(?:that|this|it)\s+(?:finally\s+|probably\s+|also\s+)?"
             r"explains\s+(?:the|my|a|an|some|those|these)\b(?=[^.;!?]*\b(?:I|we)\s+(?:saw|hit|had|got|was\s+seeing|"
             r"were\s+seeing|(?:have|['’]ve)\s+been\s+seeing|ran\s+into|reported)\b)")
_MY_LIST = r"\b(?:on|off|from)\s+my\s+(?:own\s+)?(?:long\s+)?(?:todo|to-?do|to\s+do|wish)[\s-]*list\b"
# What the sender asked for said to be in this version: "..., and that's what v3 does now.", "The missing
# documentation I pointed out is now in v3.", "The missing Fixes tag, now it's there." (each blocked).
_MET = (r"\b(?:that['’]s|that\s+is|which\s+is)\s+(?:exactly\s+)?what\s+(?:v\d+|this\s+(?:version|revision|respin|"
        r"one)|the\s+new\s+(?:version|revision|one))\s+(?:now\s+)?(?:does|has)(?:\s+now)?(?=\s*(?:[.!;]|$|,\s*(?:thanks|"
        r"thank\s+you|good|great|nice)\b))|"
        r"\bmissing\b[^.;!?]*\b(?:is|are)\s+now\s+(?:there|in\s+(?:place|v\d+|this\s+(?:version|revision|one))|present|"
        r"included|added)\b(?![^.;!?]*\b(?:but|though|however)\b)|"
        r"\bmissing\b[^.;!?]*,\s*now\s+(?:it['’]s|it\s+is|they['’]re|they\s+are)\s+(?:there|in(?:\s+place)?|present|"
        r"included|added)\b(?![^.;!?]*\b(?:but|though|however)\b)")
