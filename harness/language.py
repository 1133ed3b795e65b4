"""Whether a reply's own words are in English, the one language seamharness reads.

Told by the scripts of their letters, and in the Latin script by the share of their words in English's vocabulary; what
it cannot read is said, not passed.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from bisect import bisect_left
from pathlib import Path

from models.lazyre import lazy

# Scripts written with no spaces between words (a character is about a syllable): counted by characters.
_DENSE = ("CJK", "HIRAGANA", "KATAKANA", "HALFWIDTH KATAKANA", "HANGUL", "BOPOMOFO", "THAI", "LAO", "KHMER",
          "MYANMAR", "TIBETAN", "YI")
# A sentence of as many characters of such a script says something ("不要合并" is "do not merge"); "谢谢" does not.
_DENSE_WORDS = 4
# A Latin-script sentence is English's when at least this share of its words (names, words in capitals and code
# aside: _judged, _words) are English's vocabulary (_in_vocabulary). Measured on the corpus' English (445 sentences of
# its replies, commit messages and cover letters: none under 0.75 at four words or more, 5% under 0.83) and on 39,000
# sentences of 1 to 14 words drawn by frequency from wordfreq's lists of 26 other Latin-script languages, accents
# taken off: at 0.75, 0.2% of those of 4-6 words, 0.01% of 7-10 and none of 11-14 read as English (with a quarter of
# their words English loanwords, "patch", "retry", "merge": 6%, 1.2%, 0.3%). Of three words or fewer it asks all.
# It replaced lists of English's own words, any one of which made a sentence English's ("Ich withdraw my NAK nicht"
# read as English, its withdrawal taken), and of the other languages' words, two of which made one not.
_ENGLISH_SHARE = (3, 4)
_PREFIXES = ("re", "un", "mis", "pre", "sub", "dis", "de", "over", "under")
_SUFFIXES = ("s", "es", "ed", "d", "ing", "er", "ers", "ly")
# A sentence a third of whose words are code (sc_retry(), *args, 0x10, tdx_module_args) is code, no language's.
_CODE_TOKEN = lazy(r"[_()*#=\[\]{}<>&|;/\\0-9]|->|::")
# Not a prefix in parentheses ("(un)likely()"), part of the word after it; not the letters of a printf conversion
# ("%#llx", "0x%lu", "%zu": C's, of no language), which read as words blocked "Please use %#llx." as unreadable.
_WORD = lazy(r"(?<![\w./@<>%#-])[^\W\d_]+(?:['’][^\W\d_]+)*(?![\w/@<>(]|\.\w|-\w|\)\w)")
# A name written as code: called ("kzalloc(") or in backticks ("`kzalloc`"). Not a word before a blank and a
# parenthesis, prose's ("nicht (sorry)"): the word everywhere in the reply was taken for code, no language's.
_CODE_NAME = lazy(r"\b([A-Za-z_]\w*)\(|`([A-Za-z_]\w*)`"
                  # A command written with an option after it ("fstests -g auto passes."): the command's name.
                  r"|(?<![\w./@<>%#-])([a-z][a-z0-9_]*)(?=\s+--?[A-Za-z])")
_CAMEL = lazy(r"[a-z][A-Z]")
# A word alone in quotes or parentheses and quotes: '"teh"', "'recieve'", '("teh")'.
_CITED = lazy(r"(?<![\w'’])[\"'‘“]([^\W\d_]+)[\"'’”](?![\w'’])")
# A line no prose is read from: a diff's, a trailer's or a header's ("Nacked-by: ...", "Cc: ..."), code's, a link, a
# shell command after its prompt ("# modprobe tdx-host").
_CODE_LINE = lazy(r"^\s*(?:[-+@]|[#$] \S|[A-Za-z]\w*(?:-\w+)+\s*:|(?:Cc|To|From|Link|Fixes|Closes|Subject|Date)\s*:"
                  r"|.*[;{}]\s*$|.*(?:https?|ftp)://)", re.I)
# A trailer after a sentence on its line ("Looks fine. Reviewed-by: Ben Reviewer <ben@example.org>"), to the line's end:
# its name is no prose ("Ben" read as not English's blocked the reply as unreadable).
_INLINE_TRAILER = lazy(r"(?<=[.!?,;:)])\s+[A-Z][a-z]*(?:-[A-Za-z]+)*-by:\s.*$", re.I)
# A full stop inside a word (an address's "example.com", "e.g.") ends no sentence: "com" alone read as Portuguese.
_SENTENCE = lazy(r"[^.!?;。！？\n]+(?:\.(?=\w)[^.!?;。！？\n]*)*[.!?;。！？]*")


@functools.lru_cache(maxsize=4096)  # asked of every letter of every reply, which hold few distinct letters
def _script(ch: str) -> str:
    """The script of a letter, as its Unicode name begins ("LATIN", "CYRILLIC", "CJK"); "" when it has no name."""
    name = unicodedata.name(ch, "")
    if name.startswith(("FULLWIDTH LATIN", "LATIN")):
        return "LATIN"
    dense = next((d for d in _DENSE if name.startswith(d)), None)
    return dense or name.split(" ")[0]


@functools.lru_cache(maxsize=1024)  # a reply's words are read for every state judged
def unread_language(text: str) -> tuple[str, str] | None:
    """Why ``text``, a reply's own words, cannot be read, and its sentence that shows it: its first sentence in a
    script other than the Latin, or in a language other than English; None when every sentence can be read. A name
    in another script, a word of thanks ("Thanks! 谢谢") or a few letters with accents are read as the English around
    them; the last line, when it is a name alone (a sign-off), is not read for it."""
    lines = _prose_lines(text)
    code = _code_names(text)
    said = [i for i, ln in enumerate(lines) if ln]
    if len(said) > 1 and _name_line(lines[said[-1]]):
        lines[said[-1]] = ""
    for paragraph in re.split(r"\n\s*\n", "\n".join(lines)):
        for m in _SENTENCE().finditer(" ".join(paragraph.split())):
            sentence = m.group(0).strip()
            why = _foreign(sentence, code)
            if why:
                return f"written in a language seamharness does not read ({why})", sentence
    others = sum(bool(ln.strip()) for ln in text.splitlines()) - len(said)
    if len(said) == 1 and others and _name_line(lines[said[0]]):
        return None  # a name alone below trailers ("Reviewed-by: ...", then "王小明")
    return _only_other_scripts(" ".join(" ".join(lines).split()))


def _code_names(text: str) -> frozenset[str]:
    """The names ``text`` writes as code somewhere (``kzalloc()``, `` `kzalloc` ``, ``kzalloc(sizeof(*p), ...)`` in a
    proposed line, a command before its option, ``fstests -g``): the same name bare in its prose ("Use kzalloc.") is
    code too, a word of no language."""
    return frozenset(m.group(1) or m.group(2) or m.group(3) for m in _CODE_NAME().finditer(text))


def _prose_lines(text: str) -> list[str]:
    """The lines of ``text``, those of no prose blank: code's, a trailer's, and a hunk's context lines (" endif"),
    from its "@@" line to the first line no hunk holds."""
    lines, hunk = [], False
    for ln in text.splitlines():
        hunk = ln.startswith("@@ ") or (hunk and ln[:1] in (" ", "+", "-", "\\"))
        if "-by:" in ln.lower():  # a cheap test first: the pattern is compiled for a line holding a tag only
            ln = _INLINE_TRAILER().sub("", ln)
        lines.append(ln if ln.strip() and not hunk and not _CODE_LINE().match(ln) else "")
    return lines


def _only_other_scripts(prose: str) -> tuple[str, str] | None:
    """A reply too short for a sentence to show its language ("不行", "Не надо"), when no letter of its own words is
    Latin: nothing of it can be read, so it is said, never passed as though it said nothing."""
    scripts = [_script(c) for c in prose if c.isalpha()]
    if not scripts or "LATIN" in scripts:
        return None
    script = max(set(scripts), key=scripts.count)
    return f"written in a language seamharness does not read (its only words: {len(scripts)} letters of the " \
           f"{_name(script)} script)", prose


def _name_line(line: str) -> bool:
    """Whether a line may be a name alone ("Иван Петров", "王小明", "Thanks, Jürgen"): two words at most, each
    capitalised where its script has capitals, a dense script's few characters."""
    words = _words(line.split(",")[-1])
    dense = sum(_script(c) in _DENSE for c in line)
    return len(words) <= 2 and dense <= _DENSE_WORDS and all(w[0].isupper() or not w[0].islower() for w in words)


def _words(sentence: str) -> list[str]:
    """The words of prose in a sentence: no name in code, no word in capitals (NAK, TDX), no lone letter but "I"."""
    return [w for w in _WORD().findall(sentence) if not (len(w) > 1 and w.isupper()) and (len(w) > 1 or w == "I"
                                                                                             or not w.isascii())]


def _foreign(sentence: str, code: frozenset[str] = frozenset()) -> str:
    """What shows the sentence is not English ("" when nothing does); ``code``: the names the reply writes as code
    (_code_names), words of no language here."""
    letters = [c for c in sentence if c.isalpha()]
    scripts = [_script(c) for c in letters]
    other = [s for s in scripts if s != "LATIN"]
    if letters and len(other) * 2 >= len(letters):
        script = max(set(other), key=other.count)
        if script in _DENSE:
            n = sum(s in _DENSE for s in scripts)
            return f"{n} characters of the {_name(script)} script" if n >= _DENSE_WORDS else ""
        words = [w for w in _words(sentence) if all(_script(c) != "LATIN" for c in w)]
        # Two words or more, not all capitalised as a name is ("Иван Петров"): "Не применять" is "do not apply".
        if len(words) >= 3 or (len(words) == 2 and not all(w[0].isupper() for w in words)):
            return f"{len(words)} words of the {_name(script)} script"
        return ""
    tokens = sentence.split()
    if not tokens or sum(bool(_CODE_TOKEN().search(t)) for t in tokens) * 3 > len(tokens):
        return ""
    words = [w for w in _words(sentence) if all(_script(c) == "LATIN" for c in w) and not _code_word(w, code)] \
        or _shouted(sentence)
    # A word quoted alone is cited, the typo named ('Nit in the changelog ("teh") ...'), no word of the sender's
    # language: blocked as not read (round 70). Only beside words of their own, which are judged ('"Nein".' is not).
    own = [w for w in words if w not in _CITED().findall(sentence)]
    words = own or words
    judged = _judged(sentence, words) if words else []
    strange = [w for w in judged if not _in_vocabulary(w)]
    share, of = _ENGLISH_SHARE
    # In lower case: a capitalised word may be a name, which is no language's ("Kai said so.").
    others = [w for w in judged if w[0].islower() and w.lower() in _other_words()]
    if (len(judged) - len(strange)) * of >= len(judged) * share and not others:
        return ""
    n = len(words)
    if n == 1:
        return f"its one word, {words[0]}, is not English's"
    shown = list(dict.fromkeys([*others, *strange]))
    return f"{n} words, {', '.join(shown[:4])}{' among others' * (len(shown) > 4)} not English's"


# C's conventional short names, written bare in review prose ("ret is unset on this path.", "len" alone below a quoted
# line): each another language's word too ("ret", Danish; "len", Slovak; "var", Swedish), the reply was read as that
# language's, unread, and blocked. In lower case only, as C writes them; a sentence of that language holds its other
# words ("Det var bra.": "det", "bra").
_C_NAMES = frozenset(("ret", "len", "arg", "args", "val", "buf", "tmp", "idx", "cnt", "src", "dst", "ctx", "priv",
                      "addr", "cur", "prev", "sz", "nr", "num", "res", "var", "rc", "fd", "ptr", "err"))


def _code_word(word: str, code: frozenset[str]) -> bool:
    """Whether a word of prose is a name of code, of no language: one the reply writes as code elsewhere (_code_names),
    one of C's conventional short names (_C_NAMES), or one in camel case ("cpuMask", "kMaxRetries"), which no
    language's prose writes."""
    return word in code or word in _C_NAMES or _CAMEL().search(word) is not None


def _judged(sentence: str, words: list[str]) -> list[str]:
    """The words of a sentence judged by English's vocabulary (_ENGLISH_SHARE): a capitalised word is a name ("Ack,
    Kirill."), the first one too when a comma follows it and it is not alone ("Kai, looks fine."; "Nein, danke." is
    judged by "danke"); the first when nothing else is, but in a line naming someone ("Kai,")."""
    # Not a pattern made of the word: every sentence is judged, and each such pattern compiled took 0.3 ms.
    at = next((i for i, c in enumerate(sentence) if c.isalnum() or c == "_"), len(sentence))
    addressed = sentence.startswith(words[0], at) and sentence[at + len(words[0]):].lstrip().startswith(",")
    judged = [w for i, w in enumerate(words) if w.isupper() or not w[0].isupper() or (i == 0 and not addressed)]
    return judged or ([] if sentence.rstrip().endswith(",") else words[:1])


@functools.lru_cache(maxsize=8192)  # every word of every sentence is judged, and replies repeat their words
def _in_vocabulary(word: str, compound: bool = True) -> bool:
    """Whether a word is English's (_vocabulary), or a plural of capitals ("SEAMCALLs", "ABIs"); ``compound``: or two
    of its words written as one (_compound)."""
    if len(word) > 2 and word.endswith("s") and word[:-1].isupper():
        return True
    w = word.lower().replace("’", "'").removesuffix("'s")
    vocabulary = _vocabulary()
    # A frequent word with one of English's prefixes or suffixes ("retested", "untested", "loaders") is English's.
    stems = [w, *(w[len(p):] for p in _PREFIXES if w.startswith(p)), *(w[:-len(s)] for s in _SUFFIXES if w.endswith(s))]
    return w in vocabulary or any(len(stem) >= 3 and stem in vocabulary for stem in stems[1:]) or \
        (compound and _compound(w))


def _compound(word: str) -> bool:
    """Whether a word is two of English's words of four letters or more written as one, as kernel review writes its
    terms ("selftests", "checkpatch", "userspace", "codepath", "lockless"). Of the frequent words of 26 other
    Latin-script languages (wordfreq, 5,000 each, accents off) not English's, 0.37% split so; with parts of three
    letters, 2.3%."""
    if len(word) > 2 * _longest_part():  # no two words make it, and each split copied it: quadratic in its length
        return False
    return any(_in_vocabulary(word[:i], False) and _in_vocabulary(word[i:], False) for i in range(4, len(word) - 3))


@functools.cache  # read with the vocabulary
def _longest_part() -> int:
    """The most characters a word _in_vocabulary() takes (not a compound, in lower case): the vocabulary's longest,
    with the longest prefix or suffix _in_vocabulary() takes off and "'s"."""
    return max(map(len, _vocabulary().words)) + max(map(len, _PREFIXES + _SUFFIXES)) + len("'s")


class _Words:
    """A list of words, asked by bisection whether it holds one. Not a set: a set of english-words.txt's 27,000 lines
    takes a table of 2 MB beside the words (the list, 0.2 MB), kept until the report is written, and building it
    hashed every word; a reply's words are few (the corpus' 7 replies: some 1,000 look-ups, each a dozen compares)."""

    __slots__ = ("_words",)

    def __init__(self, words: list[str]) -> None:
        words.sort()  # written sorted (tools/make_english_words.py): one pass that finds it so
        self._words = words

    @property
    def words(self) -> list[str]:
        return self._words

    def __contains__(self, word: str) -> bool:
        i = bisect_left(self._words, word)
        return i < len(self._words) and self._words[i] == word


@functools.cache  # read the first time a sentence's words are judged
def _vocabulary() -> _Words:
    """English's words: harness/data/english-words.txt, wordfreq's frequent English words and kernel review's, written
    by tools/make_english_words.py. Read once: every word of a reply is looked up (a search of the file's text took
    0.1 ms a word, 100 ms for the corpus' 7 replies)."""
    return _Words((Path(__file__).parent / "data" / "english-words.txt").read_text(encoding="utf-8").split())


@functools.cache  # read the first time a sentence's words are judged
def _other_words() -> _Words:
    """The other languages' commonest words, not English's (harness/data/other-words.txt, from wordfreq's lists by
    tools/make_english_words.py: 'nicht', 'niet', 'pas', 'ikke'): one in a sentence three quarters English's shows it
    is not ("I withdraw my NAK nicht" is "I do not withdraw my NAK"). Of the corpus' 445 English sentences, none holds
    one in lower case but "(un)likely()"'s prefix, a word of code; generated sentences of other languages read as
    English fell from 0.21% to 0.06% (4-6 words), with a quarter of English loanwords from 5.7% to 2.2% (4-6) and
    from 1.2% to 0.19% (7-10)."""
    return _Words((Path(__file__).parent / "data" / "other-words.txt").read_text(encoding="utf-8").split())


def forget_words() -> None:
    """Drop the word lists (_vocabulary, _other_words) and the words judged by them: an eval reads its replies before
    its verdicts are in, and kept them (2.2 MB for the corpus) while its report.json is written, where they raised
    the process' peak (harness.pipeline). A later reply's words read them again, with the same answers."""
    for cached in (_vocabulary, _other_words, _in_vocabulary, _longest_part):
        cached.cache_clear()


def _shouted(sentence: str) -> list[str]:
    """The words of a sentence written all in capitals ("NEIN!", "NÖ!"), when one of them is another language's
    commonest (_other_words) or has a letter English does not write: _words passes over words in capitals (NAK, TDX),
    and such a refusal read as saying nothing. Capitals of English's letters alone are read as they were (TDX, ACK)."""
    found = [w for w in _WORD().findall(sentence) if all(_script(c) == "LATIN" for c in w)]
    other = any(w.lower() in _other_words() or not w.isascii() for w in found)
    return found if found and all(w.isupper() for w in found) and other else []


def _name(script: str) -> str:
    return {"CJK": "Han", "HALFWIDTH KATAKANA": "Katakana"}.get(script, script.title())
