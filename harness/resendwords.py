"""A resend asked with a change to the posting or the code, not the patch's fate alone."""

from __future__ import annotations

import re

from models.lazyre import lazy

# A resend asked with a change to the posting or the code: "Please resend with the x86 folks on Cc.", "..., please
# resend to the x86 maintainers.", "Resend once you've fixed the leak." (READY, round 68: a fate's word alone). Not a
# tag carried ("Resend with my Reviewed-by."), a wait ("Please resend after the merge window."), nor the sender's own
# resend or a question ("Should I resend with the comment fixed?").
RESEND_WITH = lazy(r"^(?![^?]*\?)[^?]*?(?<!\bI\s)(?<!\bwe\s)(?<!\bI['’]ll\s)(?<!\bwe['’]ll\s)(?<!\bI['’]d\s)"
                   r"(?<!\bwill\s)\b(?:re-?send|re-?post|re-?submit|respin)\w*\s+(?:it\s+|this\s+|them\s+|the\s+(?:series|patch(?:es|set)?|set|"
                   r"whole\s+thing)\s+|"
                   r"v\d+\s+)?(?:with(?!\s+(?:my|his|her|their|our|your|the\s+(?:tags?|acks?|[\w-]+-by)|(?:[\w-]+-by|"
                   r"acks?|tags?))\b)|to\s+(?!me\b|us\b)|after\s+(?:fixing|adding|addressing|dropping|removing|splitting|"
                   r"rebasing|squashing|folding|moving)\b|once\s+(?:you(?:['’]ve|\s+have)?\s+)?(?:fixed|addressed|added|"
                   r"dropped|removed|split|rebased|squashed|folded|moved)\b)", re.I)
