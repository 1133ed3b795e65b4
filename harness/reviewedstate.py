"""The state of the code a review read: right after the patch the reply answers."""

from __future__ import annotations

from harness.model import Patch, Series
from harness.patchplace import state_name


def reviewed_state(series: Series, msgid: str) -> tuple[str, str] | str:
    """(the state a reply reviewed, what it answers): right after the patch it is listed below (``v3:06``, ``v3 06/26``;
    the revision itself for its last patch or its cover letter), or why that is not known."""
    for rev in series.revisions:
        for head in ([rev.cover] if rev.cover is not None else []) + list(rev.patches):
            if any(r.mail.msgid == msgid for r in head.replies):
                last = rev.patches[-1].number if rev.patches else 0
                if head.number == 0:
                    return rev.name, f"the v{rev.version} cover letter"
                name = rev.name if head.number >= last else state_name(series, rev.version, head.number + 1)
                return name or rev.name, f"v{rev.version} {head.label}"
    msg = series.find_message(msgid)
    orphan = next((r for r in series.orphans if r.mail.msgid == msgid), None) if msg is None else None
    if orphan is not None:  # given, but what it answers is not: which code it read cannot be told
        parent = orphan.parent or orphan.mail.in_reply_to
        return f"<{msgid}> answers {f'<{parent}>, which is' if parent else 'a message'} not in the input"
    if msg is None:
        return f"<{msgid}> is not in the input"
    if isinstance(msg, Patch):
        return f"<{msgid}> is a patch, not a review of one"
    return f"<{msgid}> answers no patch of the input"
