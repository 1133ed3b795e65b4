"""A reply's words about NAKs: a NAK given, negated, asked about, named as someone's, or taken back."""

from __future__ import annotations

import functools
import re

from harness.drawnclause import drawn_start
from harness.language import unread_language
from harness.naknames import blank_names
from harness.nakothers import asked_of_another, invited, others_withdrawn, supposed, taken_back_by_another, unreal
from harness.nakprotocol import protocol
from harness.nakthreat import threatened_nak
from harness.regate import gated
from harness.replywords import DOTTED_NAK, ascii_forms
from harness.requestgrammar import negated
from models.lazyre import lazy

# A NAK: the word (any case) or a Nacked-by line; "not a NAK", "I won't NAK" are none (a negation before it
# in its sentence).
# "I'm NAKing this", "nacking it" too.
# The English word "naked" ("a naked __seamcall()", "Naked asm") is none; "NAKed" and "NAKED" are, and so is a trailer's
# key spelt with it or an underscore ("Naked-by:", "Nacked_by:", the sender's typo of Nacked-by: it passed the gate).
# A NAK in other words, an idiom of a refusal that no change answers: "This goes in over my dead body.", "Not on my
# watch." (each read as nothing: the gate passed the patch). The sender's own: "over his dead body" reports another's.
_NAK_IDIOM = r"\bover\s+my\s+dead\s+body\b|(?<![\w'’])not\s+on\s+my\s+watch\b"
_NAK = re.compile(rf"\bNACK(?:ed|ing)?\b|\b(?!(?-i:[Nn]aked\b))NAK(?:ed|ing)?\b|\bNa(?:c?k)ed[-_]by\b|"
                  rf"\bNAC?K(?:ed)?_by\b|\b{DOTTED_NAK}|{_NAK_IDIOM}", re.I)
# "Nobody NAKed it.", "None of us NAKed this." report no NAK (each read as the sender's).
_NEGATION = re.compile(r"\b(?:not|no|never|without|nor|nobody|no-one|noone|none|neither)\b|n't\b", re.I)
# A sentence ends at its mark or a blank line; a line that is a trailer ("Nacked-by: X") or the verdict alone ("NAK")
# stands on its own, though the line above ends with no mark: a negation there ("This doesn't build\nNAK") is not its.
# The dot that ends a dotted NAK ends no sentence ("N.A.K. withdrawn." is one).
# An ideographic full stop ends one with no blank after it ("This does not work。NAK。"), as CJK text writes it.
# A line ending in a word no sentence ends in, an article or a possessive, goes on below: "OK, I withdraw my" then
# "NAK." is one sentence (the NAK stood, a new one, and the withdrawal went unread).
# Each look behind follows the character it is about (the mark, the line's end): before it, it was tried at every
# place of the text (12 look-behinds a character: a reply of one 2 MB line took 0.59 s a split, now 0.10 s).
_GOES_ON = "".join(rf"(?<!\b{w}\n)" for w in ("a", "an", "the", "my", "our", "your", "their", "his", "her", "its"))
_SENTENCE_END = re.compile(r"([.!?;:])(?<!N\.A\.K[.!?;:])(?<!N\.A\.C\.K[.!?;:])\s|\n\s*\n|(?<=。)"
                           r"|\n(?=[ \t]*[A-Za-z][\w-]*[-_]by[ \t]*:)"  # a trailer: "Nacked-by :", "Nacked_by:" too
                           rf"|\n{_GOES_ON}(?=[ \t]*(?:NAK|NACK|{DOTTED_NAK})[^\w\n]*(?:\n|$))", re.I)
# A question about NAKing ("Why would anyone NAK this?", "Should I NAK it?", "Is this a NAK?") NAKs nothing: a
# question sentence whose words before the NAK begin as a question does. "NAK, why move it?" is one.
_ASKS = lazy(r"^\W*(?:(?:so|and|but|then|also|or|well)[\s,]+)*(?:why|should|shall|would|could|can|do|does|did|is|"
             r"are|was|were|will|who|what|how|may|must|am|anyone|anybody|someone|somebody)\b", re.I)
# A NAK withdrawn ("Scratch my NAK", "Forget the NAK", "I withdraw my NAK", "Retract NAK.", "I take my NAK back", "NAK
# retracted", "I no longer NAK this", "My earlier NAK no longer stands", "Un-NAK"): no NAK itself, and it takes back the
# same reviewer's earlier NAKs of the patch (harness.objections). Its object is a NAK named as one already given.
_NAK_NOUN = rf"(?:(?:NACK|NAK)s?\b|(?:Nack(?:ed)?-by|Nak(?:ed)?-by)\b|{DOTTED_NAK}\.?)"
# The sender's objection to the patch, a NAK in other words: "My objection is withdrawn.", "I retract my objection.",
# "Never mind my objection." (each left the NAK standing). One's own ("my", "our"), and of the patch or nothing named:
# "my objection to the rename" is a point's.
_OBJECTION = (r"(?:my|our)\s+(?:(?:earlier|previous|above|original|own)\s+)?objections?\b"
              r"(?:\s+(?:to|against)\s+(?:(?:this|the|that|your)\s+(?:patch|series|change|commit|one)\b|"
              r"(?:it|this|that)\b(?!\s+\w)))?(?!\s+(?:to|about|on|against|regarding)\b)")
_WITHDRAWN = gated(
    r"\b(?:scratch|forget|withdraw(?:ing|s)?|retract(?:ing|s)?|rescind(?:ing|s)?|revok(?:e|es|ing)|ignore|disregard|"
    r"lift(?:ing|s)?|cancel(?:ling|s)?|(?:take|taking|took)\s+back|drop(?:ping|s)?|remov(?:e|es|ing)|never\s*mind)\s+"
    rf"(?:(?:(?:my|the|that|this|our)\s+)?(?:(?:earlier|previous|above|original|own)\s+)?{_NAK_NOUN}|{_OBJECTION})"
    rf"|\b(?:take|taking|took)\s+(?:(?:my|the|that|this|our)\s+{_NAK_NOUN}|{_OBJECTION})\s+back\b"
    r"|\bno\s+longer\s+NA(?:C?K)(?:ing)?\b"
    # "My objection is withdrawn.", "Objection withdrawn."
    rf"|(?:\b{_OBJECTION}|^\W*objections?)\s+(?:is\s+|are\s+|has\s+been\s+|hereby\s+)*(?:withdrawn|retracted|"
    r"rescinded|revoked|lifted|dropped)\b"
    # The patches it was of between ("NAK for patch 3 withdrawn.", "My NAK on 3/3 is withdrawn.": each read as a NAK).
    rf"|\b{_NAK_NOUN}(?:\s+from\s+(?:me|us))?(?:\s+(?:for|on|of|to)\s+(?:the\s+)?(?:patch(?:es)?\s+)?#?\d+(?:/\d+)?"
    r"(?:\s*(?:,|and|&|-)\s*#?\d+(?:/\d+)?)*)?"
    r"\s+(?:is\s+|are\s+|hereby\s+)*(?:withdrawn|retracted|rescinded|revoked|lifted|cancell?ed|dropped|removed)\b"
    rf"|\b(?:(?:my|the|that|this|our)\s+(?:(?:earlier|previous|above|original|own)\s+)?{_NAK_NOUN}|{_OBJECTION})\s+"
    r"(?:no\s+longer|doesn['’]t|does\s+not)\s+(?:stands?|holds?|apply|applies)\b"
    r"|\bun-?NAC?K(?:ed|ing)?\b"  # "Un-NAK.", "unNACKed", "Un-NAKing.": the verb undoing it
    # The objection itself said to be over, of the patch or of nothing named ("I no longer object to this patch.",
    # "I no longer object."; each left the NAK standing): not of a part of it ("... to the rename": a point's).
    r"|\bI\s+(?:do\s+)?no\s+longer\s+object(?:\s+to\s+(?:this|the|that|it)(?:\s+(?:patch|series|change|one))?)?"
    r"(?=\s*(?:[.!;,]|$|now\b|anymore\b|any\s+more\b))"
    # Judged a mistake by the sender: "My NAK was wrong.", "My earlier NAK was a mistake, sorry.", "I was wrong to NAK
    # this." (each a NAK again, and the NAK stood).
    rf"|\bmy\s+(?:(?:earlier|previous|above|original)\s+)?{_NAK_NOUN}\s+was\s+(?:(?:simply|just|clearly|plainly)\s+)?"
    r"(?:wrong|a\s+mistake|an\s+error|in\s+error|misguided|premature|unwarranted|uncalled[\s-]for|unjustified|bogus|"
    # "My earlier NAK was based on a misreading of the locking; withdrawn." (the NAK stood)
    r"based\s+on\s+(?:a\s+|my\s+)?(?:misread\w*|misunderst\w*|mistake|confusion|wrong\s+\w+))\b"
    r"|\bI\s+was\s+wrong\s+to\s+NA(?:C?K)\b"
    # In the past, said of the sender's own ("I withdrew my NAK.", "I have already retracted the NAK."): a NAK read
    # as standing (the gate blocked). Only after "I": "Dave withdrew the NAK." reports another's.
    r"|\bI\s+(?:(?:have|had|already|just|since)\s+)*(?:withdrew|withdrawn|retracted|rescinded|revoked|lifted|"
    r"cancell?ed|dropped|removed)\s+"
    rf"(?:(?:my|the|that|this|our)\s+)?(?:(?:earlier|previous|above|original|own)\s+)?{_NAK_NOUN}",
    re.I)
# A withdrawal put as a condition or a promise takes nothing back: the NAK stands until then, and the sentence says so
# ("I'll drop my NAK once the loop is bounded", "Happy to lift my NAK if ...", "Fix the loop and I'll retract my NAK",
# "I'd withdraw it", "I will remove my NAK in v3"). "I'll withdraw my NAK." alone takes it back.
# Its other forms ("I withdraw my NAK, assuming you bound the loop", "NAK withdrawn iff bounded", "... as long as
# ...", "NAK withdrawn, pending a bounded loop", "Otherwise I withdraw my NAK", "Should the loop be bounded, I withdraw
# my NAK", "Bound the loop, then I withdraw my NAK", "Bound the loop and my NAK is withdrawn", "Bound the loop -> NAK
# withdrawn", "... but only for v3") each took the NAK back: the gate passed. "Given your explanation, ...", "OK,
# then I withdraw my NAK", "Thanks, and my NAK is withdrawn" take it back.
_CONDITION = lazy(r"\b(?:if|iff|unless|until|once|provided|providing|whenever|when|as\s+soon\s+as|assuming|"
                  r"given(?!\s+(?:the|your|this|that|these|those|his|her|their)\s+(?:\w+\s+)?(?:explanation|"
                  r"clarification|answer|reply|response|data|numbers|results?|context|discussion|feedback)s?\b)|"
                  r"in\s+case|(?:as|so)\s+long\s+as|(?:on|under)\s+(?:the\s+|one\s+|a\s+)?conditions?|"
                  # "Modulo the nit above:" then the tag: the kernel's "provided that is fixed" (it lifted the NAK)
                  r"conditional(?:ly)?|contingent|pending|subject\s+to|otherwise|modulo|only\s+(?:if|for|when|once|after|"
                  r"in|on|with))\b"
                  r"|^\W*(?:should|were|had)\s+(?:the|it|you|this|that|v\d+|we|they|he|she|patch)\b|->|=>|→"
                  # An imperative, then the withdrawal as what follows it; not after a word of assent ("OK, then").
                  r"|^\W*+(?!(?:ok|okay|ah|oh|well|fair|alright|all\s+right|right|thanks|thank|sure|fine|yes|good|"
                  r"great|in\s+that\s+case|so|and|then|agreed|understood|got\s+it|i\s+see|makes\s+sense)\b)"
                  r"(?:(?!\bI\b|\bI['’]|\bwe\b|\b(?:you|it|this|that|he|she|they|there)(?:['’]\w+|\s+(?:are|is|"
                  r"was|were|do|does|did|have|has|had|can|will)\b))[^.!?])*?\b(?:then|and(?:\s+then)?)\s+"
                  r"(?:I\b(?!['’])|my\s+NAC?K|the\s+NAC?K|that\s+NAC?K|this\s+NAC?K|our\s+NAC?K|NAC?K)", re.I)
# A condition put as a prepositional phrase: "With the loop bounded my NAK is withdrawn", "My NAK is withdrawn with
# that fixed", "After the loop is bounded, I withdraw my NAK" each took the NAK back (the gate passed). Rule of thumb:
# "with" or "after" naming a state still to come is a condition; naming what was already given is none ("With that,",
# "With that said", "With your explanation", "After reading your reply", "After all", "With the loop now bounded").
_PREPOSITION = lazy(r"^\W*(?:with|after)\s+(?P<lead>[^,;:]*)|\bafter\s+(?P<after>[^,;:]*)"
                    r"|\bwith\s+(?P<with>[^,;:]*?\b(?:\w+ed|done|made|put|set|split|gone|in\s+place)\b)", re.I)
_MET = lazy(r"\W*(?:(?:that|this|it|all|those|these)"
            r"(?:\s+(?:said|explained|clarified|understood|in\s+mind|out\s+of\s+the\s+way|being\s+said))?\W*$"
            r"|(?:(?:the|your|this|that|these|those|his|her|their|our|some|further|more|a\s+bit\s+of|careful|"
            r"closer)\s+)*(?:[\w'’]+\s+)?(?:explanations?|clarifications?|answers?|repl(?:y|ies)|responses?|data|numbers|"
            r"results?|context|discussions?|feedback|thoughts?|considerations?|information|info|arguments?|reasoning|"
            r"details?|look|apolog(?:y|ies)|thanks|regrets?|respect|pleasure)\b"
            r"|(?:re-?)?(?:reading|looking|thinking|checking|hearing|seeing|reviewing|considering|discussing|talking|"
            r"testing|digging|rereading|sleeping)\b"
            r"|.*\b(?:now|already)\b)", re.I)
# The subject words a leading phrase with no comma runs into ("With this I withdraw ...", "... bounded my NAK ...").
_LEAD_SUBJECT = lazy(r"(?<=\w)(?:\s+(?:I|we|my|our|the|this|that|then)\b)+\s*$", re.I)
_MODAL = lazy(r"\b(?:would|could|might|may|can|happy\s+to|glad\s+to|willing\s+to|ready\s+to|want\s+to|plan\s+to|"
              r"going\s+to|gonna|and\s+(?:then\s+)?I(?:['’]ll|\s+will|\s+shall)|inclined\s+to|tempted\s+to|"
              r"considering|thinking\s+(?:of|about)|hop(?:e|ing)\s+to|expect(?:ing)?\s+to|intend(?:ing)?\s+to|"
              r"perhaps|maybe|probably|possibly|leaning)\b|\b(?:I|we)['’]d\b", re.I)
_THEN = lazy(r"\W*(?:and\s+)?then\b", re.I)
_REQUEST = lazy(r"\W*(?:please|pls|kindly|could\s+you|can\s+you|would\s+you|you\s+(?:need|have|must|should))\b|"
                r".*\b(?:if|once|when|unless)\b", re.I | re.S)
_FUTURE = lazy(r"(?:['’]ll|\b(?:will|shall))\b", re.I)
# A withdrawal someone else asks for, reported ("Chao asked me to withdraw my NAK. I refuse.", "I was urged to drop
# the NAK", "Ingo suggested I retract my NAK"): the verb's subject is not the sender taking it back.
_ASKED = lazy(r"\b(?:(?:ask|told|tell|urg|beg|press|push|pressur|expect|request|invit|encourag|want|need|wish|"
              r"would\s+like|prod|nudg|remind)\w*\s+(?:(?:me|us)\s+)?to"
              r"|(?:suggest|propos|request|demand|insist|recommend|ask)\w*\s+(?:that\s+)?(?:I|we))\s+$", re.I)
_LATER = lazy(r"\b(?:after|later|next|tomorrow|in\s+v\d+)\b", re.I)
# NAK as what someone or something else may do ("The firmware may NAK the request", "the device will NACK it",
# "Thomas would NAK this"): no NAK of the reply's sender, as "I'd NAK this" or "I will NAK it" is.
# The word before the modal names who: not the sender, nor an adverb or a conjunction that leaves the sender the subject
# ("and hence must NAK", "so would NAK").
_OTHERS_VERB = gated(r"\b(?!(?:I|we|and|or|but|so|hence|therefore|thus|then|really|definitely|probably|also|just|still|"
                    r"certainly|honestly|strongly|clearly|rather|simply|else|otherwise)\b)[\w'’]+\s+"
                    r"(?:may|might|will|would|can|could|should|must|shall)\s+$", re.I)
# A NAK named as someone's, given before, not one given here: "I agree with the NAK", "+1 to Mae's NAK", "Seconding
# his NACK", "I understand your NAK, but ...". A pronoun's "'s" is an "is" ("it's NAK from me" gives one).
_NAMED_NAK = (r"\b(?:the|that|this|his|her|their|your|(?!(?:it|that|this|there|here|what|who|he|she)['’]s)\w+['’]s)\s+"
              rf"(?:(?:earlier|above|previous|original)\s+)?(?:NACK\b|NAK\b|{DOTTED_NAK})")
_NAMED = lazy(_NAMED_NAK, re.I)
# Disagreeing with it gives no NAK at all ("I don't agree with the NAK" is negated as any NAK is).
_DISAGREES = lazy(rf"\bdisagree(?:s|d|ing)?\s+with\s+{_NAMED_NAK}", re.I)


def _verdict_naks(sentence: str) -> list[re.Match[str]]:
    """The sentence's NAKs that are a reviewer's word, its protocol words aside (harness.nakprotocol)."""
    return [m for m in _NAK.finditer(sentence) if not protocol(sentence, m)]


def nak_sentence(text: str) -> str | None:
    """The sentence of the reply's own words that NAKs the patch: a NAK with no negation before it in its
    sentence (only a sentence's first NAK can be one: a negation before it is before every later one). A NAK that
    stands alone ("NAK. The leaf bit check ...") is cited with the sentence after it in its paragraph, its reason."""
    found = next(iter(_nak_indexed(text)), None)
    return None if found is None else _cited(text, *found)


def nak_citations(text: str) -> list[str]:
    """Each sentence of nak_sentences as nak_sentence cites it: a NAK standing alone with its reason."""
    return [_cited(text, n, said) for n, said in _nak_indexed(text)]


def _cited(text: str, n: int, said: str) -> str:
    """The ``n``th sentence of ``text``, ``said``, that NAKs, with its reason when the NAK stands alone."""
    return _with_reason(text, n, said) if _ALONE().match(said) else said


# A NAK with no word of its own beside it: "NAK.", "*NAK*", "Nacked.", the author's "Self-NACK:" (its reason is the
# sentence after it: "Self-NACK: the loop has no bound." was cited as "Self-NACK").
_ALONE = lazy(rf"^[\W_]*(?:self[-\s]?)?(?:NAC?K(?:ed)?|{DOTTED_NAK}\.?)[\W_]*$", re.I)
# What follows a NAK and gives no reason: a greeting or a sign-off.
_NO_REASON = lazy(r"^\W*(?:thanks|thank\s+you|thx|regards|cheers|best|sorry|br)\b|^\s*--", re.I)


def _with_reason(text: str, n: int, said: str) -> str:
    """``said``, the NAK alone that is the ``n``th sentence of ``text``, with its reason: the next sentence, when it is
    in the same paragraph (the NAK ends at its mark, not a blank line) and is no NAK, withdrawal or sign-off."""
    spans = _spans(text)
    mark, (start, end) = spans[n][2], spans[n][3]
    line = text[start:end]
    if mark is None or n + 1 >= len(spans):
        return said
    read, reason, after, _ = spans[n + 1]
    # The blanks between: the one the mark's end took (its line's end when nothing follows it there), then the
    # reason's own. A blank line among them ends the paragraph ("NAK.\n\nThe loop ...": no reason of the NAK's).
    if re.match(r"\s*\n[ \t]*\n", ("\n" if line == mark else " ") + reason):
        return said
    if not _a_reason(read):
        return said
    cited = f"{said}{mark} {reason}{after or ''}"
    # A reason going on past a semicolon or colon ("Scripts parse this line; changing it breaks them.") is one
    # sentence to a reader: cut at its mark, half of it was cited.
    for k in range(n + 1, len(spans) - 1):
        at, (start, end) = spans[k][2], spans[k][3]
        read, more, more_mark, _ = spans[k + 1]
        if at not in (";", ":") or not _a_reason(read) \
                or re.match(r"\s*\n[ \t]*\n", ("\n" if text[start:end] == at else " ") + more):
            break
        cited += f" {more}{more_mark or ''}"
    return " ".join(cited.split())


def _a_reason(read: str) -> bool:
    """Whether a sentence after a NAK alone gives its reason: words, and no NAK, withdrawal or sign-off."""
    return bool(re.search(r"[A-Za-z]", read)) and not _NO_REASON().match(read) and not _NAK.search(read)


def names_nak(text: str) -> bool:
    """Whether the text holds the word NAK in any of its forms (given, negated, asked or named)."""
    return _NAK.search(_read(text)) is not None


# A word underlined as Thunderbird and other mailers write it ("_NAK_", "_not_"): the underscores are marks, not
# letters of a word (a regex's \b takes "_" for one: "_NAK_" was no NAK, and the gate passed). "SEAMCALL_NAK" and
# "__seamcall" are names, not underlined.
_UNDERLINED = lazy(r"(?<!\w)_([^\W_]+(?:[ \t][^\W_]+)*)_(?!\w)")


def _read(text: str) -> str:
    """``text`` as read: its full-width forms made ASCII (ascii_forms), an underlined word's marks made blanks, a
    name's "Nak" made blanks (harness.naknames); its length and positions kept."""
    read = blank_names(ascii_forms(text))
    return _UNDERLINED().sub(lambda m: f" {m.group(1)} ", read) if "_" in read else read


def agrees_only(text: str) -> bool:
    """Whether the reply NAKs only by naming a NAK as someone's ("I agree with the NAK", "+1 to Mae's NAK", "I
    second that NAK", "I understand your NAK, but ..."): it stands while that NAK does (harness.objections). "Same
    here, NAK." and "+1, NAK" give a NAK of their own."""
    said = nak_sentences(text)
    return bool(said) and all(_named_only(s) for s in said)


def _named_only(sentence: str) -> bool:
    """Whether the sentence's one NAK is one named as someone's (_NAMED)."""
    return _NAMED().search(sentence) is not None and len(_verdict_naks(sentence)) == 1


def _sentences(text: str) -> list[tuple[str, str, str | None]]:
    """Each sentence of ``text`` as read (ascii_forms) and as written, with its end mark (None at a blank line or a
    line standing on its own), as _SENTENCE_END splits it."""
    return [(read, said, mark) for read, said, mark, _ in _spans(text)]


def _spans(text: str) -> list[tuple[str, str, str | None, tuple[int, int]]]:
    """_sentences, each with where the rest of its line after its end mark lies in ``text`` (a trailer's
    "Nacked-by" ends at its colon). Places, not the text: a copy of the rest of the line for each sentence of one
    long line took memory by its square (100,000 sentences on a line of 600 KB: killed by the OOM killer)."""
    read, out, at, end = _read(text), [], 0, -1
    for m in _SENTENCE_END.finditer(read):
        if end < m.start():  # the line's end, found once for all the sentences that end on it
            end = text.find("\n", m.start()) % (len(text) + 1)
        out.append((read[at:m.start()], text[at:m.start()], m.group(1), (m.start(), end)))
        at = m.end()
    return [*out, (read[at:], text[at:], None, (len(text), len(text)))]


# A trailer's key ending its sentence at the colon: the sentence cited is the whole trailer line.
_TRAILER_KEY = lazy(r"^\s*[A-Za-z][\w-]*[-_]by\s*$", re.I)


def nak_sentences(text: str) -> list[str]:
    """Each sentence of the reply's own words that NAKs the patch (nak_sentence), as written: a NAK standing alone
    without its reason, which a reading of the sentence's words (the patches it names, its language) must not take
    for the NAK's own; nak_citations quotes them."""
    return list(_nak_sentences(text))


def _nak_sentences(text: str) -> tuple[str, ...]:
    return tuple(s for _, s in _nak_indexed(text))


@functools.lru_cache(maxsize=1024)  # a reply's words are read for every state judged and every report part
def _nak_indexed(text: str) -> tuple[tuple[int, str], ...]:
    """Each NAK sentence with its place among the text's sentences (_spans)."""
    found = []
    for n, (sentence, said, mark, (start, end)) in enumerate(_spans(text)):
        # Any of its NAKs: one after a "but" is not the negated one's ("No NAK for patch 1, but NAK for patch 3" read
        # as none, and passed).
        naks = _verdict_naks(sentence)
        giving = next((m for m in naks if _gives(sentence, m, mark)), None)
        kept = _kept(sentence, naks, mark) if giving is None else None  # "I don't withdraw my NAK."
        if (giving := giving or kept) is None or (kept is None and _withdrawal(sentence)):
            continue
        if _named_only(sentence) and _DISAGREES().search(sentence):
            continue
        if giving is not naks[0]:  # cited from its own clause: "NAK for patch 3", the patch it names its own
            turns = list(_TURN.finditer(sentence, 0, giving.start()))
            said = said[turns[-1].end():].lstrip(" ,") if turns else said
        # "Nacked-by: Mae Maint <mae@example.org>", not "Nacked-by" (cited so in the gate's output).
        trailer = mark == ":" and _TRAILER_KEY().match(sentence)
        found.append((n, " ".join((said + text[start:end] if trailer else said).split())))
    return tuple(found)


_TURN = re.compile(r"\b(?:but|however)\b", re.I)


# A withdrawal denied in the past ("I never withdrew my NAK.", "I didn't take my NAK back"): the NAK stands (it read
# as nothing, "withdrew" being no form _WITHDRAWN knows).
_NEVER_WITHDREW = lazy(
    r"\b(?:withdrew|withdrawn|retracted|rescinded|revoked|lifted|cancell?ed|took\s+back|taken\s+back)\s+"
    rf"(?:(?:my|the|that|this|our)\s+)?(?:(?:earlier|previous|above|original|own)\s+)?{_NAK_NOUN}"
    rf"|\b(?:took|taken)\s+(?:my|the|that|this|our)\s+{_NAK_NOUN}\s+back\b", re.I)


def _kept(sentence: str, naks: list[re.Match[str]], mark: str | None) -> re.Match[str] | None:
    """The NAK of a withdrawal the sentence refuses ("I don't withdraw my NAK.", "I'm not going to lift my NAK.", "I
    won't take my NAK back."): a NAK that stands, as "My NAK stands." is (each read as no NAK, and below a reworked
    patch the gate passed); not in a question ("Why not withdraw my NAK?")."""
    m = (_WITHDRAWN().search(sentence) or _NEVER_WITHDREW().search(sentence)) if naks else None
    if m is None or mark == "?" or sentence.rstrip().endswith("?") or not negated(sentence, m.start(), m.start()):
        return None
    return next((n for n in naks if m.start() <= n.start() < m.end()), None)


def _gives(sentence: str, m: re.Match[str], mark: str | None) -> bool:
    """Whether the NAK at ``m`` is the sender's: not negated, not what another may do, not asked about. A negation
    before the clause drawing it from what the sentence said ("The loop has no bound so NACK.") governs it not."""
    start = drawn_start(sentence, m.start())
    if negated(sentence[start:], m.start() - start, m.start() - start, _NEGATION) \
            or _OTHERS_VERB().search(sentence[:m.start()]):
        return False
    # A NAK promised if the patch stays as it is ("If this isn't fixed, I'll NAK it.", "Fix this, or NAK."): none
    # given, a request to drop (harness.nakthreat); its comma left the NAK outside the condition's negation.
    if threatened_nak(sentence) is not None:
        return False
    asked = mark == "?" or sentence.rstrip().endswith("?")
    # "if Thomas NAKs it", "Feel free to NAK it", "Thomas NAKed it?", "Thomas NAKed this?!"
    if supposed(sentence, m) or invited(sentence, m) or taken_back_by_another(sentence, m) or unreal(sentence, m) \
            or others_withdrawn(sentence, m) or (
            (asked or sentence.rstrip(" \t\n!").endswith("?")) and asked_of_another(sentence, m)):
        return False
    return not (asked and (_ASKS().match(sentence[:m.start()]) or (_BARE_ASKED().match(sentence[m.end():])
                           and not sentence[:m.start()].strip(" \t\n*_\"'("))))


# A NAK asked alone ("NAK?", "NAK from me?"): a question, no verdict (each blocked the gate as one).
_BARE_ASKED = lazy(r"\s*(?:(?:from|by)\s+(?:me|us)|then|here|too|again|anyone)?[\s?!.*_\"')]*$", re.I)


def withdraws_nak(text: str) -> bool:
    """Whether the reply's own words take back a NAK ("Scratch my NAK.", "NAK withdrawn."), with no negation
    before it in its sentence ("I won't withdraw my NAK" keeps it)."""
    return bool(withdrawal_sentences(text))


def withdrawal_sentences(text: str) -> list[str]:
    """Each sentence of the reply's own words that takes a NAK back (withdraws_nak)."""
    return [s for _, s in _withdrawals_indexed(text)]


@functools.lru_cache(maxsize=1024)  # as _nak_indexed: asked of the same replies for every state judged
def _withdrawals_indexed(text: str) -> tuple[tuple[int, str], ...]:
    """Each withdrawal sentence with its place among the text's sentences (_sentences)."""
    found, before, asked = [], "", False
    for n, (sentence, said, mark) in enumerate(_sentences(text)):
        m = _withdrawal(sentence)
        # A condition put before a colon is the withdrawal's ("Conditional on a bounded loop: NAK withdrawn."), and a
        # request is the condition of a withdrawal that follows it with "then" ("Please bound the loop. Then my NAK is
        # withdrawn."). One in a language seamharness does not read is none: its English look-alike ("Ich withdraw my
        # NAK nicht" is "I do not withdraw my NAK") took the NAK back.
        if m is not None and not _NEGATION.search(sentence, 0, m.start()) and mark != "?" \
                and not sentence.rstrip().endswith("?") and not _CONDITION().search(before) \
                and not (asked and _THEN().match(sentence)) and unread_language(said) is None:
            found.append((n, said))
        before = sentence if mark == ":" else ""
        asked = mark is not None and _REQUEST().match(sentence) is not None
    return tuple(found)


# A NAK said to be none now, the sender changing their mind in so many words: "Actually, scratch that, I was wrong, no
# NAK.", "OK, no NAK from me then.", "No NAK after all." (each read as no NAK at all, and the NAK before it stood). "No
# NAK from me" alone, "I'm not going to NAK this, but ..." give none and take none back.
_NO_NAK = r"\bno\s+(?:more\s+)?(?:NA(?:C?K)|objections?)\b(?:\s+from\s+(?:me|us)\b)?"
_CHANGED = gated(rf"\b(?:(?:scratch|ignore|disregard|forget)\s+that|(?:take|taking|took)\s+that\s+back|I\s+was\s+wrong|"
                 rf"my\s+(?:mistake|bad)|actually|ok|okay|fine|alright|in\s+that\s+case|after\s+all)\b[^.!?;]*?{_NO_NAK}"
                 rf"|{_NO_NAK}[\s,]+(?:then|after\s+all|anymore|any\s+more)\b", re.I)


def _changed(sentence: str) -> re.Match[str] | None:
    """A change of mind (_CHANGED), not one that leaves the NAK to come ("Actually, no NAK from me yet") nor one a NAK
    follows in its sentence ("OK, no NAK from me on this one, but NAK for patch 3" NAKs patch 3)."""
    m = _CHANGED().search(sentence)
    if m is None or _YET().match(sentence, m.end()) or _NAK.search(sentence, m.end()):
        return None
    return m


_YET = lazy(r"\W*(?:\w+\W+){0,3}?(?:yet|for\s+now|so\s+far|at\s+the\s+moment)\b", re.I)


def retracted_after(text: str) -> str | None:
    """The sentence of a reply's own words that takes back the NAK it gave before it in the same words ("NAK, the
    loop spins. Actually, scratch that, I was wrong, no NAK."): a withdrawal after its last NAK sentence, naming no
    patch nor another's NAK or revision (``other``: what a withdrawal names, harness.takenback). None when none does;
    a NAK after the withdrawal ("Scratch my NAK of v1. NAK.") stands."""
    naks = [n for n, _ in _nak_indexed(text)]
    taken = _withdrawals_indexed(text)
    if not naks or not taken:
        return None
    at, said = taken[-1]
    return said.strip() if at > naks[-1] else None


def condition_words(sentence: str) -> bool:
    """Whether the sentence puts what it says under a condition or a promise (_CONDITION): "If you bound the loop,
    ...", "Once v3 is out, ..."."""
    return _CONDITION().search(sentence) is not None


def met_already(phrase: str) -> bool:
    """Whether a "with" or "after" phrase names what was already given ("that", "your explanation", "the loop now
    bounded"), not a state still to come (_MET)."""
    return _MET().match(phrase) is not None


# A verb after a withdrawal that is its sentence's subject ("Withdrawing my NAK would be wrong.").
_JUDGED = lazy(r"(?:\s+back)?\s+(?:would|will|is|isn['’]t|was|wasn['’]t|seems|sounds|makes|might|could|can|cannot|"
               r"can['’]t|should|must|means|feels)\b", re.I)


def _judged(sentence: str, m: re.Match[str]) -> bool:
    """Whether the withdrawal ``m`` is what the sentence judges, its subject ("Withdrawing my NAK would be wrong.",
    "Lifting the NAK is not an option."): no withdrawal, the NAK stands (it took the NAK back, and the gate passed).
    A comma or a reason after it ("Withdrawing my NAK, the loop is bounded.") leaves it one."""
    return not sentence[:m.start()].strip(" \t\n\"'*_([") and re.match(r"\w+ing\b", m.group(0)) is not None \
        and _JUDGED().match(sentence, m.end()) is not None


def _nak_letters(sentence: str) -> bool:
    """Whether ``sentence`` holds "na" or "n.a" in any case, as every form of a NAK does (re.I matches no other
    character to n or a: each code point was tried), or "object" ("You're right, no objection from me then.":
    _NO_NAK; "I no longer object.")."""
    low = sentence.lower()
    return "na" in low or "n.a" in low or "object" in low


def _withdrawal(sentence: str) -> re.Match[str] | None:
    """The words of the sentence that take a NAK back, unless it puts that as a condition or a promise (_CONDITION):
    such a sentence is a NAK that stands."""
    if not _nak_letters(sentence):  # every form of both names a NAK: one 10 MB line was 1.2 s a pattern
        return None
    m = _WITHDRAWN().search(sentence) or _changed(sentence)
    if m is None or _CONDITION().search(sentence) or _modal(sentence, m) \
            or _ASKED().search(sentence[:m.start()]) or _prepositional(sentence, m) \
            or _judged(sentence, m):
        return None
    return None if _FUTURE().search(sentence, 0, m.start()) and _LATER().search(sentence, m.end()) else m


# Leave given to take it back is the sender's withdrawal: "You can drop my NAK.", "You may ignore my NAK now."
_PERMIT = lazy(r"\byou\s+(?:can|may|could)\s+(?:(?:now|safely|just|also|go\s+ahead\s+and)\s+)?$", re.I)


def _modal(sentence: str, m: re.Match[str]) -> bool:
    """Whether a modal before the withdrawal ``m`` makes it a possibility or a promise (_MODAL), not leave given
    (_PERMIT)."""
    modal = _MODAL().search(sentence, 0, m.start())
    if modal is None:
        return False
    permit = _PERMIT().search(sentence, 0, m.start())
    return permit is None or _MODAL().search(sentence, 0, permit.start()) is not None


def _prepositional(sentence: str, m: re.Match[str]) -> bool:
    """Whether the sentence puts its withdrawal ``m`` under a condition a "with" or "after" phrase names
    (_PREPOSITION), not under what was already given (_MET). A phrase leading the sentence runs to its comma or the
    withdrawal's subject; another must be in the withdrawal's clause or follow it at once ("NAK withdrawn, after ...";
    not "Scratch my NAK, I misread it after a long day")."""
    for p in _PREPOSITION().finditer(sentence):
        if p.group("lead") is not None:
            said = _LEAD_SUBJECT().sub("", sentence[p.start("lead"):min(p.end("lead"), m.start())])
        elif p.start() <= m.start() < p.end() or not _one_clause(sentence, m, p):
            continue
        else:
            said = p.group("after") or p.group("with") or ""
        if not _MET().match(said):
            return True
    return False


def _one_clause(sentence: str, m: re.Match[str], p: re.Match[str]) -> bool:
    """Whether phrase ``p`` is in withdrawal ``m``'s clause, or follows it at once."""
    between = sentence[m.end():p.start()] if p.start() >= m.end() else sentence[p.end():m.start()]
    return not re.search(r"[,;:]", between) or (p.start() >= m.end() and not between.strip(" \t\n,"))
