"""A gated pattern never refuses a text it matches, and is compiled only when needed.

A gated pattern is searched as re searches it: its gate never refuses a text the pattern matches, and it is
compiled only for a text that may hold a match (harness.regate)."""

from __future__ import annotations

import ast
import functools
import importlib
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harness import regate
from harness.regate import Gated, derive, holds, key
from harness.replywords import sentences

DIGITS = ["|", *"0123456789"]
# The tests of what reads replies: their texts (refusals, requests to drop, NAKs, objections, keeps, holds, review
# points: the forms of harness.pointwords, concernwords, askedwords, defectwords, tersepoints and verdictwords).
_TABLES = re.compile(r"test_(?:refus|drop|maintainer|gate_drops|heldback|keep|nak|objection|cited_obj|lifted_obj|"
                     r"point_update|appliedsome|takenback|unnamed|reportednak|replyobjections|replies|readreplies|"
                     r"titled_requests|quotednak|reply_rules|cover_dropped|ordinalnames|regressions|thanksummary|"
                     r"withdraw|conditional_withdrawals|review_points|concernwords|defectwords|tersepoints|verdictwords|"
                     r"terse_judgements|fate|tag_held|cover_points|judgingwords)\w*\.py$")


def _loaded() -> list[Gated]:
    for name in ("harness.replies", "harness.replyobjections"):
        importlib.import_module(name)
    return list(regate._ALL)


@functools.cache
def _table_texts() -> tuple[str, ...]:
    """Every string of the reply tests' tables, whole and sentence by sentence (as request_match reads them)."""
    found: set[str] = set()
    for path in sorted(Path(__file__).parent.glob("test_*.py")):
        if not _TABLES.match(path.name):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value) > 2:
                found.add(node.value)
                found.update(sentences(node.value))
    return tuple(sorted(found))


def test_the_file_holds_the_gate_of_every_gated_pattern() -> None:
    # Else a pattern edited without `python -m harness.regate` is compiled for every text (never gated wrongly).
    made = _loaded()
    assert len(made) >= 55
    kept = json.loads((Path(regate.__file__).parent / "data" / "regex-gates.json").read_text(encoding="utf-8"))
    assert kept == {key(g.pattern, g.flags): derive(g.pattern, g.flags) for g in made}


def test_no_gate_refuses_a_text_of_the_tables_its_pattern_matches() -> None:
    texts = _table_texts()
    assert len(texts) > 2000
    matched = 0
    for g in _loaded():
        gate, pattern = derive(g.pattern, g.flags), g.compiled()
        for text in texts:
            if pattern.search(text) is not None:
                matched += 1
                assert holds(gate, text), (g.pattern[:60], text)
    assert matched > 200  # the tables reach the patterns: a gate refusing them would show


@pytest.mark.parametrize(("pattern", "flags", "gate"), [
    (r"\bdrop\s+(?:this|that)\s+patch\b", re.I, ["&", "drop", ["|", "this", "that"], "patch"]),
    (r"(?:please\s+)?drop", re.I, "drop"),  # an optional word is no condition
    (r"drop(?!\s+it)", 0, "drop"),  # nor one a negative lookahead names
    (r"drop(?=\s+it)", 0, ["&", "drop", ["*", "it"]]),  # a lookahead's words are in the text, at no place of its own
    (r"[sſ]top", re.I, "top"),  # "ſ" and "s" match each other: a class with a letter not ASCII is none
    (r"patch\s+\d+", re.I, ["&", "patch", DIGITS]),
    (r"(?:drop|remove)?\s*this", re.I, "this"),
    (r"(?:Drop|x*)", re.I, None),  # one way through holds nothing
    (r"NAK(?:ed)+", 0, ["&", "nak", "ed"]),  # lowercased, as the text is
    # A whole text matched from the pattern's own letters: each run of letters of it is made of the pieces ("=").
    (r"^\W*(?:no|nope|un-?acked)[\s,.]*$", re.I, ["&", ["|", "no", "nope", "un-acked", "unacked"],
                                               ["=", "acked", "no", "nope", "un"]]),
    (r"^\W*no\s+[a-c]\d\W*$", 0, ["&", "no", ["|", "a", "b", "c"], DIGITS, ["=", "a", "b", "c", "no"]]),
    (r"^\W*no\s+\w+\W*$", re.I, "no"),  # a letter of the text's own (\w, ., [^...]): no pieces
    (r"^\W*no\s+[^.]+$", re.I, "no"),
    (r"^\W*no[sſ]?\W*$", re.I, "no"),  # "ſ" and "s" match each other: a letter not ASCII, no pieces either
    (r"^\W*no\W*", re.I, "no"),  # part of the text: "No, that's fine." is matched
    (r"^\W*no\W*$", re.I | re.M, "no"),  # part of the text: a line of it
    # A literal that may be left out between two runs: a word with it and one without, not two words apart.
    (r"un-?ack(?:ed)?", re.I, ["|", "un-ack", "unack"]),
    (r"\bNA(?:C?K)\b", 0, ["|", "nack", "nak"]),
    (r"x-?y-?z", 0, ["|", "x-y-z", "x-yz", "xy-z", "xyz"]),
    (r"w-?x-?y-?z-?v", 0, ["&", "w", "x", "y", "z", "v"]),  # more than three: read apart, as the words would double
    (r"ab?", 0, "a"),
    (r"(?:no|un)-?ack", 0, ["&", ["|", "no", "un"], "ack"]),  # no run before it: the words are read apart
])
def test_a_gate_holds_the_words_every_match_holds(pattern: str, flags: int, gate: object) -> None:
    assert derive(pattern, flags) == gate


def test_a_text_not_ascii_is_never_refused() -> None:
    # re.IGNORECASE matches U+017F with 's': lowercasing does not make it one.
    gate = derive(r"discard\s+patch", re.I)
    assert re.search(r"discard\s+patch", "Please diſcard patch 2.", re.I) is not None
    assert holds(gate, "Please diſcard patch 2.")
    assert not holds(gate, "Please keep patch 2.")


def _gated(monkeypatch: pytest.MonkeyPatch, pattern: str, kept: bool) -> Gated:
    table = {key(pattern, re.I): derive(pattern, re.I)} if kept else {}
    monkeypatch.setattr(regate, "_kept", lambda: table)
    return Gated(pattern, re.I)


def test_a_text_the_gate_refuses_never_compiles_the_pattern(monkeypatch: pytest.MonkeyPatch) -> None:
    g = _gated(monkeypatch, r"\bplease\s+drop\s+(?:this|it)\b", True)
    assert g.search("Reviewed-by: A <a@b.c>") is None and g.match("Looks good, drop nothing.") is None
    assert g._compiled is None
    found = g.search("OK. Please DROP it.")
    assert found is not None and found.group() == "Please DROP it" and g._compiled is not None


def test_a_pattern_the_file_has_no_gate_for_is_searched_in_every_text(monkeypatch: pytest.MonkeyPatch) -> None:
    # An edited pattern: the file's gates are of other texts, never used for it.
    g = _gated(monkeypatch, r"\bplease\s+drop\b", False)
    assert g.search("Reviewed-by: A <a@b.c>") is None and g._compiled is not None
    assert g.search("please drop", 1) is None and g.search("so please drop") is not None


def test_finditer_and_sub_are_res_where_the_gate_fails_or_holds(monkeypatch: pytest.MonkeyPatch) -> None:
    g = _gated(monkeypatch, r"\bpatch\s+(\d+)", True)
    assert list(g.finditer("Looks good.")) == [] and g.sub("#", "Looks good.") == "Looks good." and g._compiled is None
    text = "Patch 2 and patch 3."
    assert [m.group(1) for m in g.finditer(text)] == ["2", "3"]
    assert g.sub(lambda m: f"<{m.group(1)}>", text) == "<2> and <3>."


def _ends(gate: object, low: str, starts: set[int]) -> set[int]:
    """Every end of a place of ``gate`` in ``low`` starting at or after one of ``starts``, as the module's docstring
    gives a gate's meaning (a word is in the text; "&" every part, one after another; "|" one part; "*" its part
    anywhere, taking no place): every place, not the least end regate takes."""
    if isinstance(gate, str):
        return {i + len(gate) for i in range(len(low) + 1) if low.startswith(gate, i) and any(s <= i for s in starts)}
    assert isinstance(gate, list)
    if gate[0] == "&":
        for g in gate[1:]:
            starts = _ends(g, low, starts)
        return starts
    if gate[0] == "|":
        return set().union(*(_ends(g, low, starts) for g in gate[1:]))
    if gate[0] == "=":  # each run of letters of the text made of the pieces, taking no place
        made = re.compile("(?:" + "|".join(map(re.escape, gate[1:])) + ")*")
        return set(starts) if all(made.fullmatch(w) for w in re.findall("[a-z]+", low)) else set()
    return set(starts) if _ends(gate[1], low, {0}) else set()


def _reference(gate: object, low: str) -> bool:
    return bool(_ends(gate, low, {0}))


def test_holds_is_the_gates_meaning_on_every_kept_gate() -> None:
    # Each kept gate of the file against texts made of some of its own words: every node answers both ways.
    kept = [g for g in json.loads(regate._FILE.read_text(encoding="utf-8")).values() if g is not None]

    def words(g: object) -> list[str]:
        return [g] if isinstance(g, str) else [w for p in g[1:] for w in words(p)] if isinstance(g, list) else []

    asked = 0
    for gate in kept:
        ws = sorted(set(words(gate)))
        for text in ("", " ".join(ws), " ".join(ws[::2]), " ".join(ws[1::2]), " ".join(ws[::3])):
            assert holds(gate, text) is _reference(gate, text.lower()), (gate, text)
            asked += 1
    assert len(kept) > 20 and asked == 5 * len(kept)


def test_the_long_reply_patterns_read_for_no_match_are_gated() -> None:
    # Each was compiled by the corpus' empty-cache eval for sentences holding none of its words (the 4,331 characters
    # of refusals' _STANDS among them, 17 patterns, some 160 M instructions; nakwords._WITHDRAWN's 1,717 at import, its
    # one sentence holding its words out of their order): gated, a pattern is compiled only for a text that may hold a
    # match, by the file's gate of its very text.
    from harness import (
        appliedsome,
        droprequest,
        nakothers,
        nakprotocol,
        nakwords,
        refusals,
        requestgrammar,
        tagwithdrawal,
        titlenames,
        unnameddrop,
    )

    made = [appliedsome.VERB_FIRST, droprequest._ELSEWHERE, nakothers._SUPPOSING, nakothers._TAKEN_BACK,
            nakprotocol._SENT, nakprotocol._THING, nakprotocol._HANDLED, nakwords._OTHERS_VERB, nakwords._WITHDRAWN,
            requestgrammar._TAKEN_BACK, tagwithdrawal._WITHDRAWN, titlenames._SERIES_NAK, titlenames._SERIES_DROP,
            titlenames._SERIES_HEAD, unnameddrop._NO_HAPPEN, unnameddrop._WRONG, unnameddrop._NOT_RIGHT,
            unnameddrop._UNWANTED, unnameddrop._UNCONVINCED, unnameddrop._BARE_REFUSAL]
    forms = [form() for form, _ in refusals._FORMS]
    searched = [*(m() for m in made), *(f.pattern if isinstance(f, refusals._Unyielded) else f for f in forms)]
    gated = [g for g in searched if isinstance(g, Gated)]
    assert len(gated) == len(made) + len(refusals._FORMS)
    assert all(regate._kept().get(key(g.pattern, g.flags)) is not None for g in gated)


def test_the_review_point_forms_are_gated() -> None:
    # Each was compiled by the corpus' empty-cache eval for the sentences of its replies (point_sentence reads every
    # sentence through some 40 forms until one asks a change): some 480 M instructions of parsing and code generation
    # for forms most sentences hold none of the words of. Gated, each is compiled only for a sentence that may match.
    from harness import (
        askedwords,
        concernwords,
        defectwords,
        grantcondition,
        pointwords,
        requestverbs,
        tersepoints,
        verdictwords,
    )

    made = [*(getattr(askedwords, n) for n in ("_NEED", "_WISH", "_UNWANTED", "_YOU_UNWANTED", "_LANDING",
                                               "_WOULD_GOOD", "_PRAISED", "_LETS", "_CONSIDER", "_YOU_WANT", "_DUE",
                                               "_VERDICT")),
            tersepoints._SAME_POINT, tersepoints._NOUN_PLEASE, tersepoints._STILL_ASKED,
            *(getattr(defectwords, n) for n in ("_LABEL", "_FRAGMENT", "_COMPLAINS", "_WAVED", "_NIT", "_NO_FLAW",
                                                "_BUG_CLAIM", "_BUG_NAMED")),
            *(getattr(verdictwords, n) for n in ("_IS_JUDGED", "_BARE_JUDGED", "_BUG_CLAIMED", "_COMPARED", "_TAKEN",
                                                 "_UNFIXED")),
            *(getattr(pointwords, n) for n in ("_PLEASE", "_IMPERATIVE", "_MODAL", "_SUGGEST", "_OFFERED", "_FIXED",
                                               "_YIELDS", "_APPROVES")),
            requestverbs.FATE,
            *(getattr(grantcondition, n) for n in ("_ASKED_IF", "_ASKED_ING", "_ASKED_NOUN", "_WITH_DONE")),
            *(getattr(concernwords, n) for n in ("_FLAW_SAID", "_FLAW_DENIED", "_VIRTUE_DENIED", "_VERB_DENIED",
                                                 "_SEE_WHY", "_NOBODY", "_COMPARE", "_OLD_BETTER", "_ENOUGH",
                                                 "_WOULD_DO", "_PREFERENCE", "_OTHERWISE", "_NOT_THIS",
                                                 "_OPENS_AGREEING", "_CONCEDED", "_SELF_OR_NONE"))]
    gated = [m() for m in made]
    assert all(isinstance(g, Gated) for g in gated)
    assert all(regate._kept().get(key(g.pattern, g.flags)) is not None for g in gated)


def test_point_sentence_reads_a_text_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # The same replies' words are asked again for every state judged and every report part (the corpus: 30 calls, 4
    # texts): each text is read through the forms once.
    from harness import pointwords

    pointwords.point_sentence.cache_clear()
    read: list[str] = []
    real = pointwords.explain_asked
    monkeypatch.setattr(pointwords, "explain_asked", lambda s: read.append(s) or real(s))
    text = "Please use %#llx here. Thanks."
    assert pointwords.point_sentence(text) == pointwords.point_sentence(text) == "Please use %#llx here."
    assert read == ["Please use %#llx here."]
    pointwords.point_sentence.cache_clear()


def test_found_tells_a_match_of_the_pattern_from_anothers(monkeypatch: pytest.MonkeyPatch) -> None:
    g = _gated(monkeypatch, r"\bpatch\s+(\d+)", True)
    other = re.compile(r"patch\s+\d+", re.I).search("patch 2")
    assert other is not None and not g.found(other)  # not compiled yet: no match is its
    m = g.search("Patch 2.")
    assert m is not None and g.found(m) and not g.found(other)


@pytest.mark.parametrize(("pattern", "text", "held"), [
    (r"\bdrop\s+this\s+patch\b", "Please drop this patch.", True),
    (r"\bdrop\s+this\s+patch\b", "This patch: please drop it.", False),  # the words, not in their order
    (r"\bI\s+(?:won't|will\s+not)\s+take\b", "Take it, I will not mind.", False),
    (r"take(?=.*\bnow\b)", "Now take it.", True),  # a lookahead's words anywhere: no order claimed of them
    (r"(?<=later\s)take", "take later", True),
    (r"(?:ab)+c", "abababc", True),
    (r"x(?:ab)+c", "cab x", False),
    (r"un-?ack", "Sorry, unacked.", True),
    (r"un-?ack", "Un-ack for now.", True),
    (r"un-?ack", "Drop this hunk and thwack the docs.", False),  # "un" and "ack", but neither word
])
def test_the_words_of_a_sequence_are_held_in_their_order(pattern: str, text: str, held: bool) -> None:
    gate = derive(pattern, re.I)
    assert holds(gate, text) is held is _reference(gate, text.lower())
    assert held or re.search(pattern, text, re.I) is None


_PARTS = st.sampled_from(["drop", "this", "patch", "it", "not", " ", ", ", "no", "take", "ab", "a", "b", ".", "-", "t"])


@settings(max_examples=400, deadline=None)
@given(st.lists(_PARTS, max_size=12).map("".join), st.sampled_from([
    r"\bdrop\s+(?:this|it)\b", r"(?:no|not)\s+(?:take|drop)", r"take(?=\W*(?:it|this))\W*\w+",
    r"(?<=no\s)take|drop(?!\s+it)\s+this", r"(?:ab)+\s*patch", r"a(?:b|\s)*?drop", r"(this|it)\s+\1",
    r"[ab]+\s+take\b.*\bpatch", r"(?:drop|take)\s+(?:this|it)(?:\s+patch)?\.", r"^\W*no\W+(?:take|drop)",
    r"^\W*(?:no|not\s+(?:this|it)|a+b)(?:[\s,.]+(?:drop|it))*\W*$", r"^(?:ab|[ct])+(?<=b)\s*(?:drop\s+)?it\.?\Z",
    r"dro(?:p\s)?this", r"no-?t(?:ak)?e", r"a(?:b)??(?:\.)?d", r"(?:dr)?op\.?", r"t-?a-?k-?e-?it",
]))
def test_a_gate_holds_wherever_re_finds_a_match(text: str, pattern: str) -> None:
    # Against re itself: a text the gate refuses holds no match (both cases of each letter asked too).
    gate = derive(pattern, re.I)
    for t in (text, text.upper()):
        if re.search(pattern, t, re.I) is not None:
            assert holds(gate, t), (pattern, t, gate)
        assert holds(gate, t) is _reference(gate, t.lower())


def test_a_text_holding_no_first_word_is_refused_without_walking_the_gate(monkeypatch: pytest.MonkeyPatch) -> None:
    # Most sentences hold no word a gate starts from: refused by the loop over firsts, _held never called.
    g = _gated(monkeypatch, r"\b(?:please\s+drop|kindly\s+remove)\s+(?:this|it)\b", True)
    assert regate.firsts(derive(g.pattern, g.flags) or "") == ("please", "kindly")

    def walked(gate: object, low: str) -> bool:
        raise AssertionError(f"_held asked of {low!r}")
    monkeypatch.setattr(regate, "_held", walked)
    assert g.search("Reviewed-by: A <a@b.c>") is None and g._compiled is None


def test_every_text_a_kept_gate_holds_holds_one_of_its_firsts() -> None:
    kept = [g for g in json.loads(regate._FILE.read_text(encoding="utf-8")).values() if g is not None]

    def words(g: object) -> list[str]:
        return [g] if isinstance(g, str) else [w for p in g[1:] for w in words(p)] if isinstance(g, list) else []

    held = 0
    for gate in kept:
        some, ws = regate.firsts(gate), sorted(set(words(gate)))
        for text in (" ".join(ws), " ".join(ws[::2]), " ".join(ws[1::2]), " ".join(ws[::3]), *ws[:5]):
            assert holds(gate, text, some) is holds(gate, text), (gate, text)
            if _reference(gate, text):
                held += 1
                assert any(w in text for w in some), (gate, text)
    assert held > len(kept)


def test_the_firsts_file_holds_the_firsts_of_every_kept_gate() -> None:
    # Written with the gates by `python -m harness.regate`: a stale one would refuse texts the gate lets through.
    gates = json.loads(regate._FILE.read_text(encoding="utf-8"))
    kept = json.loads(regate._FIRSTS_FILE.read_text(encoding="utf-8"))
    assert kept == regate.firsts_table(gates) and len(kept) > 50


def test_a_kept_gates_firsts_are_read_not_worked_out(monkeypatch: pytest.MonkeyPatch) -> None:
    made = next(g for g in _loaded() if regate._kept().get(key(g.pattern, g.flags)) is not None)

    def walked(gate: object) -> tuple[str, ...]:
        raise AssertionError(f"firsts worked out for {gate!r}")
    monkeypatch.setattr(regate, "firsts", walked)
    fresh = Gated(made.pattern, made.flags)
    assert fresh.search("Reviewed-by: A <a@b.c>") is None
    assert fresh._some == tuple(regate._kept_firsts()[key(made.pattern, made.flags)])


def test_a_gate_the_firsts_file_lacks_has_its_firsts_worked_out(monkeypatch: pytest.MonkeyPatch) -> None:
    g = _gated(monkeypatch, r"\b(?:please\s+drop|kindly\s+remove)\s+(?:this|it)\b", True)
    monkeypatch.setattr(regate, "_kept_firsts", dict)
    assert g.search("Reviewed-by: A <a@b.c>") is None and g._some == ("please", "kindly")


def test_a_whole_text_pattern_is_not_compiled_for_a_word_not_of_its_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    # A bare no is a whole sentence: "I know the lock is not taken here." holds its word "no" (in "know") and "not",
    # and compiled unnameddrop's 1,862-character _BARE_REFUSAL for a text it cannot match (26 M instructions of an
    # empty-cache `series`): "know", "lock" and "taken" are no pieces of it.
    from harness import unnameddrop

    made = unnameddrop._BARE_REFUSAL()
    g = _gated(monkeypatch, made.pattern, True)
    g.flags = made.flags
    monkeypatch.setattr(regate, "_kept", lambda: {key(made.pattern, made.flags): derive(made.pattern, made.flags)})
    for text in ("I know the lock is not taken here.", "No, that is fine.", "Not now, I think."):
        assert g.match(text) is None and g._compiled is None
        assert made.compiled().match(text) is None
    for text in ("No.", "Heh, no.", "No, no, no.", "Please, no.", "Unacked.", "Still not convinced, sorry.", "-1"):
        assert g.match(text) is not None and made.compiled().match(text) is not None, text


def test_a_whole_text_gate_reads_the_text_up_to_endpos(monkeypatch: pytest.MonkeyPatch) -> None:
    # "$" matches at endpos: what lies past it is no part of the text the pattern matches.
    g = _gated(monkeypatch, r"^\W*no\W*$", True)
    assert g.search("No. Take it.") is None and g._compiled is None
    found = g.search("No. Take it.", 0, 3)
    assert found is not None and found.group() == "No."
    assert g.match("No. Take it.", 0, 3) is not None and list(g.finditer("No. Take it.", 0, 3))


def test_a_tag_withdrawal_is_not_compiled_for_un_and_ack_of_other_words() -> None:
    # "hunk" and "thwack" held the words "un" and "ack" of its "un-?ack" ("Unacked, sorry."): its 2,624 characters
    # were compiled by `series` of the corpus for a sentence dropping a hunk (some 40 M instructions, empty cache).
    from harness import tagwithdrawal

    g = tagwithdrawal._WITHDRAWN()
    fresh = Gated(g.pattern, g.flags)
    assert fresh.search("But I'd drop this hunk, and go thwack someone that writes the docs instead.") is None
    assert fresh._compiled is None
    assert tagwithdrawal.tag_withdrawn("Unacked, sorry: I missed the leak.") == ("Unacked, sorry: I missed the leak.",
                                                                               "Acked-by")
