"""A NAK a reply reports of another ("Thomas already NAKed this.", "As Dave said, NAK."): theirs, not the sender's."""

from __future__ import annotations

import re
from collections.abc import Collection
from email.utils import parseaddr

from harness.followups import senders
from harness.model import Reply
from harness.nakwords import nak_sentences, names_nak
from harness.personnames import ascii_spellings
from harness.regate import gated
from models.lazyre import lazy
from models.record import record

# Who the report names: a capitalised name of one or two words (not a pronoun or a thing: "This", "It"; nor a word
# that leads a sentence, "Still NAKed.", nor an acronym, "FWIW Thomas NAKed this": each was taken for a name), or
# "he", "she", "they" (no name: who it was cannot be told).
_NAME = (r"(?!(?:I|We|You|It|This|That|These|Those|Which|Who|What|Patch|Series|Here|There|Someone|Somebody|Everyone|"
         r"Everybody|Nobody|Anyone|Also|And|But|So|Yes|No|OK|Ok|Well|Then|Now|Thanks|Still|Already|Just|Clearly|"
         r"Obviously|Again|Even|Indeed|Previously|Earlier|Originally|Apparently|Hmm|Right|Sure|Fine|Oh|Ah|Both|Either|"
         r"Neither|Both|Hence|Thus|Sadly|Unfortunately|Luckily|Correctly|Rightly)\b|[A-Z]{2,}\b)"
         r"[A-Z][\w'’-]*(?:\s+(?![A-Z]{2,}\b)[A-Z][\w'’-]+)?")
# A handle in lower case, as kernel mail names people by their address's local part ("tglx NAKed it", "bp NACKed
# v2"): a word that is no English word a NAK verb follows.
_HANDLE = (r"(?!(?:i|we|you|me|us|him|her|them|my|our|your|his|their|its|the|an?|not|it|this|that|these|those|"
           r"which|who|what|patch|series|here|there|also|and|but|so|then|now|"
           r"already|just|maybe|probably|clearly|obviously|originally|previously|earlier|again|still|even|never|was|"
           r"were|is|are|been|be|has|had|have|got|get|has|one|all|both|each|mail|list|reply|thread|code|change|"
           r"commit|v\d+|right|correct|true|ok|okay|yes|no|sure)\b|[a-z]+ly\b)[a-z][a-z0-9_]{1,15}"
           # nor an adverb ("rightly"), nor a tag asking to confirm ("NAKed by Thomas, wasn't it?", "..., right?")
           r"(?![\w'’])")
# Who said it without a name: "he", "she", "they", "someone", "people" (who it was cannot be told).
_UNNAMED = (r"(?i:he|she|they|him|her|them|someone|somebody|people|others|everyone|everybody|folks|reviewers|"
            r"maintainers)")
_SUBJECT = rf"(?P<who>{_UNNAMED}\b|{_NAME}|{_HANDLE})"
# A NAK verb in the past with that subject: "Thomas already NAKed this", "He has nacked it", "and Dave NACKed v2".
_VERB = lazy(r"\b(?!(?-i:[Nn]aked\b))NA(?:C?K)ed\b", re.I)
# After a verb of knowing or hearing too: "I thought Thomas NAKed it.", "I heard tglx NACKed v2."
# After an acronym or a word leading the sentence ("FWIW Thomas NAKed this", "Apparently tglx NACKed v1").
_DID = lazy(rf"(?:^|[,;:(]\s*|\b(?:and|but|since|as|because|so|while|that|(?i:thought|think|believe|heard|recall|"
            rf"remember|know|noticed|saw|see)|[A-Z]{{2,}}|^\W*(?:Also|Still|Apparently|Actually|Well|Hmm|Yes|Right|"
            rf"Indeed|Note|Sadly|Unfortunately))\s+){_SUBJECT}\s+"
            r"(?:(?i:has|had|have|already|also|just|previously|earlier|clearly|rightly|explicitly|indeed)\s+)*$")
# The verdict alone, put as another's word: "As Dave said, NAK.", "Like Thomas wrote: NACK".
_WORD = lazy(r"\b(?:NACK|NAK)\b", re.I)
_AS_SAID = gated(rf"^\W*(?i:as|like)\s+{_SUBJECT}\s+(?:(?i:already|has|had|just)\s+)*"
                r"(?i:said|says|wrote|noted|pointed\s+out|mentioned|put\s+it)\W*$")
# The verdict said to be from another: "NAK from Thomas too.", "There was a NAK from tglx on v1." ("NAK from me" is the
# sender's: no name).
_FROM_WHO = gated(rf"\s+(?:(?i:too|also|as\s+well)\s+)?(?i:from|by)\s+{_SUBJECT}\b(?!\s*[-_]by)"
                 r"(?!\s+(?i:side|team|folks|people|camp|end|group)\b)")  # "NAK from Intel side" is the sender's
# The passive, its agent named: "This was already NAKed by Thomas.", "Also NAKed by Thomas."
_PASSIVE = lazy(r"(?:\b(?:was|were|is|are|been|got)\s+|^\W*)(?:(?:already|also|previously|earlier)\s+)*$", re.I)
_BY = lazy(rf"\s+(?i:by)\s+{_SUBJECT}\b(?!\s*[-_]by)")
# Names before the subject, with it: "Thomas and Dave NAKed it", "Both tglx and bp NACKed v1", "Thomas, Dave and Boris
# NAKed it". Dave's withdrawal lifted the report whole, Thomas's NAK in it too.
# A handle first only where a name may begin ("The code is broken and Dave NACKed v2" names Dave alone).
_PRIOR = lazy(rf"(?:(?i:both)\s+)?((?:(?<![\w'’-]){_NAME}|(?:^\W*|(?<=[,;:(])\s*|(?<=(?i:both)\s)){_HANDLE})"
              rf"(?:\s*,\s*(?:{_NAME}|{_HANDLE}))*)"
              r"\s*(?:,\s*(?:(?i:and)\s+)?|\s+(?:(?i:and)|&)\s+)$")
# Names after the agent of the passive: "NAKed by Thomas and Dave".
# The passive with no one named as its agent: "v1 was NAKed.", "This got NACKed before.", "It has been NAKed twice."
# Someone NAKed it, whom the words do not say: no NAK of the sender's (it was read as theirs, lifted by their own
# withdrawal), as "He NAKed it." is not. Not "is NAKed" ("This is NAKed." gives it), nor "by me".
_AGENTLESS = lazy(r"\b(?:was|were|been|got|gotten)\s+(?:(?:already|also|previously|earlier|ever|once|twice|since|"
                  r"rightly|just)\s+)*$", re.I)
_BY_SELF = lazy(r"\s+by\s+(?:me|us|myself|ourselves)\b", re.I)
_MORE = lazy(rf"(?:(?:\s*,\s*(?:(?i:and)\s+)?|\s+(?:(?i:and)|&)\s+)(?:{_NAME}|{_HANDLE})\b)+")
_ANY = lazy(r"\bNA(?:C?K)(?:ed|ing)?\b|\bNa(?:c?k)ed[-_]by\b", re.I)


@record
class ReportedNak:
    """The NAK a reply's own words give only as another's: ``who`` as named ("" for "he", "she", "they")."""

    who: str
    sentence: str


def reported_nak(text: str) -> ReportedNak | None:
    """The NAK the reply reports of another, when each of its NAK sentences only reports one (a NAK verb in the past
    whose subject is another, or "As X said, NAK."): one of its own beside it ("Thomas NAKed this, and NAK from me
    too.") is the sender's. Names that differ, or a pronoun, name no one ``who`` can be matched to."""
    said = nak_sentences(text)
    names = [_reporter(s) for s in said]
    if not said or any(n is None for n in names):
        return None
    found = {n.lower() for n in names if n is not None}
    return ReportedNak(names[0] or "" if len(found) == 1 else "", said[0])


def relayed_nak(r: Reply) -> ReportedNak | None:
    """The NAK a reply gives only as ``Nacked-by:`` trailers naming another, each NAK sentence of its own words one of
    them: theirs, relayed, as "Olga NAKed it." is (b4 reads a trailer's person, and leaves out one that is not its
    sender's by address or name: followups.senders); it was the sender's own NAK. ``who`` is the trailer's name ("" for
    trailers naming different people)."""
    said = nak_sentences(r.own_text)
    tags = {" ".join(f"{t.key}: {t.value}".lower().split()): t for t in r.trailers
            if t.key.lower().endswith("-by") and names_nak(t.key)}
    given = [tags.get(" ".join(s.lower().split())) for s in said]
    if not said or any(t is None or senders(t, r.mail) for t in given):
        return None
    people = {parseaddr(t.value)[0] or t.value for t in given if t is not None}
    return ReportedNak(people.pop() if len(people) == 1 else "", said[0])


def _reporter(sentence: str) -> str | None:
    """The one each NAK of the sentence is reported of ("" for a pronoun); None when one of them is no report."""
    who: str | None = None
    unnamed = False
    for m in _ANY().finditer(sentence):
        before = sentence[:m.start()]
        s = (_DID().search(before) or _BY().match(sentence, m.end()) if _PASSIVE().search(before) else
             _DID().search(before)) if _VERB().fullmatch(m.group()) else \
            (_AS_SAID().match(before) or _FROM_WHO().match(sentence, m.end())) if _WORD().fullmatch(m.group()) else None
        if s is None and _VERB().fullmatch(m.group()) and _AGENTLESS().search(before) \
                and not _BY_SELF().match(sentence, m.end()):
            unnamed = True  # someone's, not named: no one's withdrawal lifts the sentence's report
            continue
        if s is None:
            return None
        name = s.group("who")
        who = "" if re.fullmatch(_UNNAMED, name) else name
        if who and (prior := _PRIOR().search(sentence, 0, s.start("who"))) is not None:
            who = f"{prior.group(1)} and {who}"  # a name each: no one's withdrawal lifts the others' (gave)
        elif who and (more := _MORE().match(sentence, s.end("who"))) is not None:
            who = f"{who}{more.group()}"
    return "" if unnamed else who


def gave(who: str, m: Reply, senders: Collection[tuple[str, str]]) -> bool:
    """Whether ``who``, a name a report gives ("Thomas", "Thomas Gleixner", "Boris", "tglx"), names the sender of
    ``m`` as a person would (person_named), and no other sender of the input (``senders``: (name, address)) at
    another address is named so (then whose NAK it was cannot be told, and it stands: named_senders says so). A From:
    a mailing list rewrote ("Thomas Gleixner via tdx-list") names no one (Mail.own_address)."""
    own = m.mail.own_address
    return bool(own) and person_named(who, m.mail.author, own) and not any(a.lower() != own and person_named(who, n, a)
                                                             for n, a in senders)


def named_senders(who: str, senders: Collection[tuple[str, str]]) -> list[str]:
    """The input's senders (``senders``: (name, address)) ``who`` names as a person would, "Name <address>" each, by
    address (lower case), the name as ``senders`` spell it (the first in sorted order of an address's several):
    more than one and whose NAK a report gives cannot be told."""
    found: dict[str, str] = {}
    for n, a in sorted(senders):
        if a and person_named(who, n, a):
            found.setdefault(a.lower(), n)
    return [f"{found[a] or a} <{a}>" for a in sorted(found)]


def ambiguity(who: str, senders: Collection[tuple[str, str]]) -> str:
    """The note of a NAK reported of ``who`` when the input has more than one sender so named, "" otherwise."""
    found = named_senders(who, senders) if who else []
    if len(found) < 2:
        return ""
    return (f'"{who}" may name {" or ".join(found)}: whose NAK it reports cannot be told, so no withdrawal of either '
            "lifts it")


# A first name's familiar forms that are not its beginning ("Dave" for David): kernel mail names reviewers so.
_FAMILIAR = {"dave": "david", "bob": "robert", "rob": "robert", "bill": "william", "will": "william",
             "mike": "michael", "jim": "james", "tom": "thomas", "tony": "anthony", "rick": "richard",
             "dick": "richard", "ted": "theodore", "ben": "benjamin", "steve": "stephen", "andy": "andrew",
             "sasha": "alexander", "alex": "alexander", "joe": "joseph", "greg": "gregory", "ken": "kenneth",
             "pete": "peter", "kate": "katherine", "liz": "elizabeth", "peggy": "margaret", "jack": "john"}


def person_named(who: str, name: str, address: str = "") -> bool:
    """Whether ``who`` names the sender ``name`` <``address``> as a person would: the whole name or its first words,
    the first name's beginning ("Boris" for Borislav, three letters or more) or a familiar form of it ("Dave" for
    David), the last name, those two together ("Tom Lendacky"), or the address's local part ("bp", "tglx") or its
    first part ("thomas" of thomas.lendacky@); a name with marks in any of its ASCII spellings ("Joerg" for Jörg)."""
    return any(_named(w, n, address) for w in ascii_spellings(who) for n in ascii_spellings(name))


def _named(who: str, name: str, address: str) -> bool:
    """person_named for one spelling of each."""
    said, words = who.lower().split(), [w.strip("\"',") for w in name.lower().split()]
    local = address.lower().split("@")[0]
    if not said or len(who) <= 1:
        return False
    if words and len(who) > 2 and words[: len(said)] == said:
        return True
    if len(said) == 1:
        one = said[0]
        return one == local or (len(one) > 2 and one == local.split(".")[0]) or \
            (bool(words) and (_first(one, words[0]) or (len(words) > 1 and one == words[-1])))
    return len(said) == 2 and len(words) > 1 and _first(said[0], words[0]) and said[1] == words[-1]


def _first(said: str, first: str) -> bool:
    """Whether ``said`` names the first name ``first``: it, its beginning of three letters or more, a familiar form."""
    return said == first or (len(said) > 2 and first.startswith(said)) or _FAMILIAR.get(said) == first \
        or _FAMILIAR.get(first) == said
