"""A person's name holding the word NAK ("Nina Nak", "Ola Nack") in a reply: a name, no verdict."""

from __future__ import annotations

import re

from models.lazyre import lazy

# The word as a surname or given name is written in title case ("Nak", "Nack"); the verdict is most often "NAK" or
# "nak", but "Nak." is a verdict too, so a title-case word is a name only where the line shows one: in a trailer's
# value ("Reviewed-by: Nina Nak <nina@...>": it read as her NAK, and her later Acked-by as the NAK given again), before
# an address ("Nina Nak <nina@...> wrote:"), in a greeting ("Hi Nina Nak,"), or as the signature's name line under a
# closing ("Thanks,\nNina Nak"). Everywhere else "Nak" stays a verdict: a false pass is the worse error.
_TOKEN = lazy(r"\bNac?k\b")
_WORD = r"[A-Z][\w'’.-]*"
_TRAILER_VALUE = lazy(r"^[ \t]*[A-Za-z][\w-]*[-_]by[ \t]*:")
_BEFORE_ADDRESS = lazy(rf"Nac?k(?:[ \t]+{_WORD})*[ \t]*<[^<>\s@]+@[^<>\s]+>")
_GREETING = lazy(rf"^[ \t]*(?:Hi|Hello|Hey|Dear)[ \t]+(?:{_WORD}[ \t]+)*Nac?k\b(?:[ \t]+{_WORD})*[ \t]*[,!]?[ \t]*$")
# "Nina Nak", "Nina Maria Nak", and the given name first, "Nak Kim" (read as a NAK); "Nak" alone is a name only when
# the sender's From: says so (blank_signature).
_NAME_LINE = lazy(rf"^[ \t]*(?:(?:{_WORD}[ \t]+){{1,3}}Nac?k(?:[ \t]+{_WORD}){{0,2}}|Nac?k(?:[ \t]+{_WORD}){{1,2}})"
                  r"[ \t]*$")
# A closing above the name, a mail's last words ("Thanks,", "Best regards,", "Cheers"): after any line ending in a
# comma, "Sorry,\nHard Nak" would have been a name and its NAK lost.
_CLOSING = lazy(r"^[ \t]*(?:(?:many|thanks?)[ \t]+)?(?:thanks|thank[ \t]+you|thx|cheers|(?:(?:kind|best|warm)[ \t]+)?"
                r"regards|best(?:[ \t]+wishes)?|sincerely|yours(?:[ \t]+truly)?|ta|br)[ \t]*[,.!]?[ \t]*$", re.I)


# An address holding the word ("nak@example.org", "Nak Kim <nak.kim@x>"): a mailbox, in any case, no verdict (the
# Reviewed-by of a sender whose address is nak@ was read as their NAK).
_ADDRESS = lazy(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_ANY_TOKEN = lazy(r"\bnac?k\b", re.I)


def blank_names(text: str) -> str:
    """``text`` with each name's "Nak"/"Nack" (above) made blanks, its length and positions kept. Linear in ``text``."""
    if "@" in text:
        text = _ADDRESS().sub(lambda a: _ANY_TOKEN().sub(lambda m: " " * len(m.group()), a.group()), text)
    if "Nak" not in text and "Nack" not in text:
        return text
    lines = text.split("\n")
    above = ""
    for n, line in enumerate(lines):
        if _TOKEN().search(line) is not None:
            lines[n] = _blanked(line, above)
        if line.strip():
            above = line
    return "\n".join(lines)


def _blanked(line: str, above: str) -> str:
    """``line`` with the NAK words that are a name's made blanks (``above``: the nearest line above with words)."""
    whole = bool(_GREETING().match(line) or (_NAME_LINE().match(line) and _CLOSING().match(above)))
    trailer = _TRAILER_VALUE().match(line)
    out = []
    at = 0
    for m in _TOKEN().finditer(line):
        named = whole or (trailer is not None and m.start() >= trailer.end())
        if named or _BEFORE_ADDRESS().match(line, m.start()):
            out.append(line[at:m.start()] + " " * len(m.group()))
            at = m.end()
    return "".join(out) + line[at:]


# A closing and a name on one line: "Thanks, Nak", "Cheers -- Nak".
_CLOSED_NAME = lazy(r"^[ \t]*(?:(?:many|thanks?)[ \t]+)?(?:thanks|thank[ \t]+you|thx|cheers|"
                    r"(?:(?:kind|best|warm)[ \t]+)?regards|best(?:[ \t]+wishes)?|sincerely|ta|br)[ \t]*(?:[,.!]|--?)?"
                    r"[ \t]+(?P<name>.+?)[ \t]*$", re.I)
_NAME_WORD = lazy(r"[^\W\d_][\w'’.-]*")


def blank_signature(lines: list[str], author: str) -> list[str]:
    """``lines`` (a reply's own) with the "Nak"/"Nack" of their sender's name signing them made blanks: a line of one
    to four words of the From: display name ``author`` under a closing, or after one on its line ("Thanks,\\nNak",
    "Thanks, Nak" from "Nak Kim <nak@...>"), as written there (a name, not the verdict: "Nak" alone under "Thanks,"
    from anyone else stays a NAK, as blank_names leaves it). Positions kept."""
    names = set(_NAME_WORD().findall(author))
    if not any(_TOKEN().fullmatch(w) for w in names):
        return lines
    out, above = list(lines), ""
    for n, line in enumerate(lines):
        if _TOKEN().search(line) is not None:
            closed = _CLOSED_NAME().match(line)
            name = closed.group("name") if closed else line if _CLOSING().match(above) else ""
            words = name.split()
            if 1 <= len(words) <= 4 and all(w.rstrip(",.!") in names for w in words):
                start = line.index(name)
                out[n] = line[:start] + _TOKEN().sub(lambda m: " " * len(m.group()), name) + line[start + len(name):]
        if line.strip():
            above = line
    return out
