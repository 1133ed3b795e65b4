"""A reviewer's question to the patch's author ("Why is this needed?"): a review point until the author answers it."""

from __future__ import annotations

import re
from collections.abc import Sequence

from harness.model import Patch, Reply
from harness.replyorder import reply_chain
from harness.replywords import sentences
from harness.requestverbs import VERBS
from harness.sentenceline import sentence_line
from harness.settledwords import settled
from harness.unnameddrop import asks_fate
from harness.waivers import waived
from models.lazyre import lazy

# A change asked as a question, a review point as the request is (harness.pointwords): a negated modal or comparison
# ("Shouldn't this retry only on TDX_RND_NO_ENTROPY?", "Wouldn't it be better to cap the retries?", "Doesn't this need
# %#llx?", "Can't we just reuse seamcall_err()?"), a why-not of the one asked ("Why don't you cap the retries?", "Any
# reason not to cap the retries?", "Why not %#llx?"). Not a view asked ("Shouldn't this be fine?", "Can't this
# fail?", "Doesn't this break the loader?": a question, below) nor an approval ("Sure, why not?").
_MAYBE = r"^\W*(?:(?:so|also|and|but|then|nit|hmm+|maybe|perhaps|possibly|just\s+curious)[\s,:.]+)*"
_VIEW = (r"(?:be\s+)?(?:fine|ok|okay|safe|good|enough|correct|right|harmless|possible|work|happen|matter|fail|"
         r"break|crash|hang|race)\b")
_WHO = r"(?:this|that|it|we|you|they|the\s+[\w%#.()-]+(?:\s+[\w%#.()-]+)?)"
_ASKS_CHANGE = lazy(
    _MAYBE + r"(?:(?:shouldn['’]t|mustn['’]t)\s+" + _WHO + r"\s+(?!(?:also\s+|really\s+|just\s+)?" + _VIEW + r")\w"
    r"|should\s+" + _WHO + r"\s+not\s+(?!" + _VIEW + r")"
    r"|(?:can['’]t|couldn['’]t|won['’]t)\s+(?:we|you)\s+(?:just\s+|simply\s+)?(?!" + _VIEW + r")\w"
    r"|(?:wouldn['’]t|isn['’]t|doesn['’]t|don['’]t|aren['’]t)\b[^?]*\b(?:better|cleaner|simpler|nicer|safer|"
    r"clearer|preferable|easier|needs?|make\s+(?:more\s+)?sense|should)\b"
    r"|why\s+(?:don['’]t|do\s+not|wouldn['’]t|can['’]t|won['’]t|shouldn['’]t|didn['’]t)\s+(?:you|we)\b"
    r"|(?:any|is\s+there\s+(?:a|any))\s+(?:good\s+|particular\s+)?reason\s+(?:not\s+to|why\s+not|(?:why\s+)?"
    r"(?:you|we)\s+(?:didn['’]t|don['’]t|can['’]t|couldn['’]t|shouldn['’]t|wouldn['’]t))\b"
    r"|why\s+not\s+(?:just\s+)?[\w%#]"
    # A request put politely, whatever its verb: "Could you have that message show the leaf in hex?", "Would you mind
    # printing the leaf in hex?", "Can we switch it to %#llx?" (read as questions, lifted by any answer: "Sure, will do
    # in v3." passed the gate); not one asking to explain or check ("Could you explain why?": a question, below).
    r"|(?:could|can|would|will)\s+(?:you|we)\s+(?:(?:please|maybe|perhaps|also|just|kindly)\s+)*"
    r"(?!(?:explain|clarify|elaborate|say|tell|describe|confirm|share|remind|point|expand|reproduce|test|check|"
    r"send|post|comment|look|answer|help|give|add\s+(?:some|more)\s+(?:detail|context|background))\b)[a-z]"
    # One that names what to do instead: "Could the message show the leaf in hex instead?"
    r"|[^?]*\b(?:instead|rather\s+than)\b)", re.I)
# The author asked to explain something to the one asking, put as a polite question: "Could you explain why this is
# needed?", "Can you describe what the loader returns?", "Would you elaborate on the retry count?". A question they
# must answer (open_question), which their answer lifts; not a change asked, which harness.pointwords read it as for
# its verb ("explain" in the changelog is a change). One naming where the explanation goes asks a change: "Could you
# explain in the changelog why?", "Can you describe the retries in a comment?".
_EXPLAIN_ASKED = lazy(_MAYBE + r"(?:could|can|would|will)\s+you\s+(?:(?:please|maybe|perhaps|also|just|kindly)\s+)*"
                      r"(?:explain|describe|clarify|elaborate|justify|expand)\b", re.I)
_WRITTEN_DOWN = lazy(r"\b(?:in|into|to|within|inside)\s+(?:the\s+|a\s+|an\s+|your\s+|its\s+|this\s+)?(?:[\w-]+\s+)?"
                     r"(?:changelogs?|change\s*logs?|commit(?:\s+(?:message|log|text|description))?|log|comments?|"
                     r"kernel-?doc|documentation|docs?|cover\s+letter|description|code|source|header|patch)\b", re.I)


def explain_asked(sentence: str) -> bool:
    """Whether ``sentence`` politely asks the author to explain to the one asking, naming no place in the patch for
    the explanation (_EXPLAIN_ASKED): a question to answer, not a change asked."""
    return _asks(sentence) and _EXPLAIN_ASKED().match(sentence) is not None \
        and _WRITTEN_DOWN().search(sentence) is None


# A question that reads as rhetorical: its asker holds the answer and says it by asking. A wh-question with a strong
# negative-polarity word asserts the negation ("Who would ever pass 0 here?": no one does; "Why would anyone call this
# twice?", "What's the point of this check?", "Why is this needed at all?"); a negated yes/no question that the code is
# the same as other code, or already there, asserts that it is ("Isn't this the same as before?", "Doesn't
# seamcall_err() already print this?", "Isn't this dead code?"). Whether it asks for a change (drop the check, reuse the
# helper) or for an answer cannot be told from its words, so the author's answer alone lifts none (harness.pointwords:
# a false FAIL, never a false PASS). Not "Doesn't this break the loader?", "Is this safe?": questions as asked.
_NEG = r"(?:isn['’]t|aren['’]t|wasn['’]t|weren['’]t|doesn['’]t|don['’]t|didn['’]t|hasn['’]t|haven['’]t)"
_RHETORICAL = lazy(
    _MAYBE + r"(?:(?:who|what|why|when|where|how)\b[^?]*\b(?:ever|any(?:one|body)|on\s+earth|at\s+all|possibly|"
    r"the\s+point\s+of)\b|" + _NEG + r"\b[^?]*\b(?:the\s+same|same\s+as|already|identical|equivalent|redundant|"
    r"duplicated?|unneeded|unnecessary|needless|pointless|dead\s+code|unused|a\s+no-?op)\b)", re.I)
# Leading words that leave an imperative what it is when put as a question: "Maybe cap the retries?"
_LEAD_OFF = lazy(r"^\W*(?:(?:maybe|perhaps|possibly)[\s,]+)+", re.I)


def _asks(sentence: str) -> bool:
    """Whether ``sentence`` ends in a question mark as prose does: not code's "ret ? a : b" cut at it (a diff in the
    reply's own words, "return ret ?")."""
    return sentence.endswith("?") and not sentence[:-1].endswith((" ", "\t"))


def change_question(sentence: str) -> bool:
    """Whether ``sentence``, a question, asks for a change put as one (_ASKS_CHANGE)."""
    return _asks(sentence) and _ASKS_CHANGE().match(sentence) is not None


def rhetorical(sentence: str) -> bool:
    """Whether ``sentence``, a question, reads as rhetorical (_RHETORICAL): one that may ask for a change."""
    return _asks(sentence) and _RHETORICAL().match(sentence) is not None


def imperative_asked(sentence: str) -> str | None:
    """``sentence``, a question, put as the request it holds when it opens with one ("Print the leaf in hex here
    too?", "Maybe cap the retries?" read as "Print ... too.", "cap the retries."); None for one that is no question."""
    if not _asks(sentence):
        return None
    return _LEAD_OFF().sub("", sentence).rstrip("?") + "."


# Questions that ask the author nothing to answer for the patch: a status ping ("Any update?", "Ping?"), whether it
# goes in, asked of the one applying ("Can this go in for 6.20?", "Will you take it?"), surprise alone ("What?",
# "Huh?"), an approval ("Why not?", "What's not to like?").
# Surprise at how long the bug the patch fixes lasted: "Wow, how did nobody notice this before?", "How has this survived
# so long?" (each blocked as a question the author must answer, round 70).
_SURPRISE = (r"(?:(?:wow|heh|ha|haha|huh|oh|gosh|geez|man|hmm+|wait|ouch)[\s,!.]+)*how\s+(?:on\s+earth\s+)?"
             r"(?:did|has|have|had|could)\s+(?:(?:nobody|no\s*-?\s*one|we|anyone|anybody)\s+(?:ever\s+)?(?:notice[d]?|"
             r"catch|caught|spot(?:ted)?|see|seen|hit)\s+(?:this|that|it)|(?:this|that|it)\s+(?:ever\s+)?(?:survived?|"
             r"gone\s+unnoticed|go\s+unnoticed|stay(?:ed)?\s+(?:hidden|unnoticed)|lasted?))(?:\s+(?:before|earlier|"
             r"sooner|until\s+now|so\s+far|(?:for\s+)?(?:so|this)\s+long|for\s+(?:years|ages|a\s+decade)|"
             r"all\s+these\s+years))?")
_NOT_ASKED = lazy(r"^\W*(?:ping|any\s+(?:update|news|progress)(?:\s+on\s+(?:this|it))?|(?:so|sure|ok|okay|well)?"
                  r"[\s,]*why\s+not|what['’]s\s+not\s+to\s+like|what|huh|really|seriously|eh|hm+|" + _SURPRISE
                  + r")\W*$", re.I)
# A question of the patch's fate or another's verdict on it, which the NAK, drop and refusal readers read: "Why are
# you NAKing this?", "Should I drop it from my queue?", "Have you dropped 2/3?", "Why won't you apply this?", "Is that a
# hard no?". Not "Why did you drop the lock here?": a thing of the code is named.
_FATE_ASKED = lazy(r"\bnac?k(?:ed|ing|s)?\b|\backs?\b|\back(?:ed|ing)\b|\b(?:apply|applied|applying|merg(?:e|ed|ing)|"
                   r"queu(?:e|ed|ing)|tak(?:e|en|ing)|took|pick(?:ed|ing)?\s+(?:\w+\s+)?up|backport(?:ed|ing)?)\b"
                   r"|\b(?:drop|dropp(?:ed|ing)|revert(?:ed|ing)?)\s+(?:(?:this|that|it|them)(?:\s+(?:one|patch))?\b|"
                   r"(?:the\s+|this\s+)?(?:patch|series)\b|\d+/\d+|from\b)|\b(?:drop|dropped|revert|reverted)\W*$"
                   r"|\b(?:hard|firm|clear)\s+no\b", re.I)
# Chat, no question of the patch: one its sender labels as off the topic ("Off-topic, but is anyone going to Plumbers
# this year?", "Side note, not about this series: who is hosting the BoF?"), or one put to the list at large that names
# nothing of the code ("Anybody else seeing the mail delays on vger today?"). Each blocked as a question the author
# must answer. Not one naming the patch's code or asking why ("Does anyone know why this needs the lock?", "Is anyone
# else seeing this warning?", "Off-topic, but why does the loop spin?").
# The label may follow a lead ("Also, unrelated:", "Btw, off-topic:", "On an unrelated note,": round 70, each blocked).
_OFF_LABEL = (r"^\W*(?:(?:also|and|but|oh|btw|by\s+the\s+way|ps|p\.s\.)[\s,.:;-]+)*(?:on\s+an?\s+)?"
              r"(?:(?:slightly|totally|completely|somewhat|a\s+bit|bit|mostly|purely|entirely)\s+)?(?:off[-\s]?topic|OT\b|"
              r"side\s+(?:note|question)|random\s+question|unrelated(?:\s+(?:to|question|note))?|"
              r"not\s+(?:related\s+to|about)\s+(?:this|the)\s+(?:patch|series|thread)|(?:a\s+)?tangent)")
_TO_ALL = (r"^\W*(?:(?:is|are|does|do|has|have|did|was|will|would|can)\s+)?(?:any|some|every)(?:one|body)"
           r"(?:\s+else)?\b")
_SEASON = (r"(?!\s+(?:year|week|month|time|cycle|summer|winter|autumn|fall|spring|morning|afternoon|evening|weekend|"
           r"workflow)\b)")
_OF_CODE = lazy(r"\b(?:this" + _SEASON + r"|that|these|"
                r"those|it|its|your|patch(?:es|set)?|series|change|commit|code|why|how|lock\w*|"
                r"loop|function|helper|call|return|error|warning|splat|crash|oops|bug|leak|race|build|boot|test\w*|"
                r"driver|module|firmware|seamcall|tdx)\b|\w+\(\)|\w+_\w+", re.I)
_NOT_ABOUT = lazy(r"\b(?:not\s+(?:related\s+to|about)|unrelated\s+to)\s+(?:this|the)\s+(?:patch|series|thread)\b", re.I)
_CHAT = lazy(rf"(?:{_OFF_LABEL})[^?]*?[,:;.!-]\s*(?P<q>[^?]*\?)$|(?P<all>{_TO_ALL}[^?]*\?)$", re.I)
# A statement labelled so: "Completely unrelated, but the new b4 release makes this workflow a lot nicer."
# Its label stands alone before it ("Unrelated change." and "Unrelated hunk: drop it." are flaws of the patch).
_CHAT_SAID = lazy(rf"(?:{_OFF_LABEL})(?:\s+(?:perhaps|maybe|really|I\s+know|"
                  r"to\s+(?:this|the)\s+(?:patch|series|thread)))?"
                  r"\s*[,:;.!-]\s*(?:but\s+)?(?P<s>(?:[^\s?]+\s+){2,}[^?]*)$", re.I)
# A request in it: "Unrelated: please split this out.", "Off-topic, but drop the whitespace fix."
_ASKS = lazy(r"^\W*(?:(?:please|just)\s+)?(?:" + VERBS + r")\b|\b(?:please|should|must|needs?\s+to)\b", re.I)
# The sender's own things, no code of the patch: "my build box", "my test machine".
_MINE = lazy(r"\bmy\s+(?:[\w-]+\s+){0,2}?(?:box|machine|laptop|setup|mail(?:er|s)?|inbox|server|tree)\b", re.I)
# A word of the patch's mail, named in chat: "the Fixes: tag", "the changelog".
_OF_MAIL = lazy(r"\b(?:changelog|commit\s+(?:message|log)|subject|tags?|fixes|typos?|comments?|docs?|kconfig|cc)\b",
                re.I)


# What a question its sender labels as off the topic must not name to be chat: the patch, its code by name, or why.
# Its label says the rest is no question of the patch ("Off-topic, but does anyone have a qemu recipe for TDX guests?").
_OF_PATCH = lazy(r"\b(?:this" + _SEASON + r"|that|these|those|"
                 r"it|its|your|patch(?:es|set)?|series|change|commit|code|why|how)\b|\w+\(\)|\w+_\w+", re.I)


def _chat(sentence: str) -> bool:
    """Whether ``sentence``, a question, is chat (_CHAT): labeled off the topic and naming nothing of the patch
    (_OF_PATCH), or put to the list at large naming nothing of any code (_OF_CODE)."""
    m = _CHAT().match(sentence.strip())
    if m is None:
        return False
    if m.group("q") is not None:
        return not _names_patch(_NOT_ABOUT().sub("", m.group("q")))
    return _OF_CODE().search(m.group("all")) is None


# A pronoun of the chat said before it in the same sentence: "the mirrors seem slow today, anyone else seeing that?"
_BACK = lazy(r"\b(?:this|that|it|these|those|its)\b", re.I)


def _names_patch(words: str) -> bool:
    """Whether ``words``, chat's after its label, name the patch (_OF_PATCH); a pronoun in the last clause is the
    clause's before it, when that one names none."""
    head, comma, tail = words.rpartition(",")
    if comma and _OF_PATCH().search(head) is None:
        return _OF_PATCH().search(_BACK().sub("", tail)) is not None
    return _OF_PATCH().search(words) is not None


def off_topic(sentence: str) -> bool:
    """Whether ``sentence`` is chat its sender labels as off the topic (_OFF_LABEL), a question (_chat) or a statement
    naming nothing of the patch, its code (_OF_CODE, the sender's own things aside) or its mail (_OF_MAIL)."""
    s = sentence.strip()
    if s.endswith("?"):
        return _chat(s)
    m = _CHAT_SAID().match(s)
    if m is None:
        return False
    said = _MINE().sub("", _NOT_ABOUT().sub("", m.group("s")))
    return not _names_patch(said) and not any(p().search(said) for p in (_OF_CODE, _OF_MAIL, _ASKS))


# A line of a diff or of code in the reply's own words (a proposal): no question of the reviewer's.
_CODE_LINE = re.compile(r"^(?:[+\-@\t]|diff --git |index [0-9a-f]| \S)")
# A question its sender answers in the next sentence: "Still broken on my box? No, it works now.", "Why is this
# needed? Oh, I see, patch 3 uses it.", "... ? Never mind, found it."
_SELF_ANSWER = lazy(r"^\W*(?:yes|yeah|yep|no|nope|oh|ah|aha|ok|okay|never\s*mind|answering\s+my(?:self|\s+own)|"
                    r"scratch\s+that|I\s+see|got\s+it|found\s+it)\b"
                    # An answer by its verb alone, or one ending in approval: "Does this handle a zero length? It
                    # does, the early return covers it.", "Who frees this? The devm core does, so this is fine.",
                    # "What if it fails? We return -ENOMEM, good." (each blocked as a question left open). One against
                    # the code ("Can this overflow? It can, on 32-bit.") is harness.persistwords'.
                    r"|^\W*(?:it|this|that|they|we|the\s+[\w%#.()-]+(?:\s+[\w%#.()-]+)?)\s+(?:does|do|is|are|can|will|"
                    r"has|have|did)\s*[,;.:!–—-]"
                    r"|^(?![^.;!?]*(?:\bnot|\bnever|n['’]t)\b)[^?]*[,;]\s*(?:so\s+)?(?:(?:this|that|it)(?:['’]s|\s+is)\s+)?"
                    r"(?:fine|good|ok(?:ay)?|correct|safe|covered)\s*[.!]?$", re.I)


# An approval the sender gives whatever the answer, right after the question: "Out of curiosity, did you find this with
# syzkaller? Either way, good fix." (it blocked as a question the author must answer). Only after a question: "Use
# kzalloc(). Anyway, LGTM." still asks the change.
_MOOT = lazy(r"^\W*(?:either\s+way|anyway|regardless|in\s+any\s+case|whatever\s+the\s+answer)[\s,:;-]+"
             r"(?:(?:this|it|the\s+(?:patch|change|fix))(?:['’]s|\s+is|\s+looks)?\s+)?(?:lgtm|looks\s+good|(?:a\s+)?(?:good|nice|great)\s+"
             r"(?:fix|catch|patch|change|find|cleanup)|fine|good|nice)\b[^,;?]*[.!]?$", re.I)


def self_answered(following: Sequence[str]) -> bool:
    """Whether the sentence after a question (``following``: it, or none) is its sender's own answer (_SELF_ANSWER:
    "Still not fixed? Ah, it is, in patch 3.")."""
    return bool(following) and (_SELF_ANSWER().match(following[0]) is not None or settled(following[0]))


def open_question(text: str) -> str | None:
    """The first question in a reply's own words ``text`` that its author must answer (a review point until they
    do: answered): not a change asked (harness.pointwords reads those, which an answer alone does not lift), nor a
    ping, a question of whether the patch goes in, surprise or approval (_NOT_ASKED), of its fate (_FATE_ASKED), nor
    one its sender answers in the next sentence (_SELF_ANSWER). None when there is none."""
    if "?" not in text:
        return None
    said = sentences("\n".join(t for t in text.splitlines() if not _CODE_LINE.match(t)))
    for n, sentence in enumerate(said):
        if not _asks(sentence) or _NOT_ASKED().match(sentence) or asks_fate(sentence) \
                or _FATE_ASKED().search(sentence) or _chat(sentence):
            continue
        # Nor one its sender says blocks nothing: "Why 16 retries? Not a blocker." (harness.waivers).
        if n + 1 < len(said) and (_SELF_ANSWER().match(said[n + 1]) or settled(said[n + 1]) or waived(said[n + 1])
                                  or _MOOT().match(said[n + 1])):
            continue
        return sentence
    return None


def asks_author(r: Reply, head: Patch, replies: dict[str, Reply], question: str) -> bool:
    """Whether ``question`` of ``r`` is the patch's author's to answer: ``r`` answers the patch itself or a message of
    its author (a follow-up to their answer), and the quote right above the question names no one else (a question
    below "Olga wrote: > Please drop this patch." asks Olga). One answering another reviewer's words is asked of that
    reviewer."""
    up = r.mail.in_reply_to or (r.mail.references[-1] if r.mail.references else "")
    parent = replies.get(up)
    if up != head.mail.msgid and (parent is None or not _by(parent, head)):
        return False
    line = sentence_line(r, question)
    above = [q for q in r.quotes if line is not None and q.where.line < line]
    who = max(above, key=lambda q: q.where.line).who if above else None
    author = head.mail.author.lower(), head.mail.author_email.lower()
    return not who or any(a and a in who.lower() for a in author)


def answered(point: Reply, head: Patch, replies: dict[str, Reply]) -> tuple[Reply, str] | None:
    """The patch's author's reply below ``point`` (up its chain), and its first sentence: their answer to its question
    (whether it satisfies the one asking is theirs to say, in a later reply read anew)."""
    for r in replies.values():
        if r is not point and _by(r, head) and point.mail.msgid in reply_chain(r.mail.msgid, replies):
            said = sentences(r.own_text)
            return r, said[0] if said else r.own_text
    return None


def _by(r: Reply, head: Patch) -> bool:
    """Whether ``r`` is by the author of ``head``."""
    return bool(r.mail.author_email) and r.mail.author_email.lower() == head.mail.author_email.lower()
