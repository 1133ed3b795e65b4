"""harness.scopecache: a definition's reading (models.scopewalk) kept with the outcomes and read back, not parsed."""

from __future__ import annotations

from pathlib import Path

from harness import scopecache
from harness.outcome_cache import OutcomeCache
from harness.scopecache import scope_uses
from models.scopes import Amp, Uses, prepared, uses_from_data, uses_to_data
from models.scopewalk import read_uses

TEXT = "static int sc_set(int n)\n{\n\tsc_knob_set((m) & sc_tries, &sc_limits[n]);\n\tsc_tries = n;\n\treturn 0;\n}"
WORDS: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())


def test_a_reading_round_trips_through_json_data() -> None:
    found = read_uses(*prepared(TEXT, *WORDS))
    assert found is not None and found.stores == {"sc_tries"}
    assert found.amps == (Amp("sc_tries", 2, "m", False), Amp("sc_limits", 2))
    assert uses_from_data(uses_to_data(found)) == (found,)
    assert uses_from_data(uses_to_data(None)) == (None,)
    assert uses_from_data({"parsed": True, "stores": 3}) is None


def test_a_kept_reading_is_read_back_and_a_damaged_one_parsed_again(tmp_path: Path) -> None:
    # Each step as a new process makes it: what this one found or read is forgotten (scopecache._READ).
    store = OutcomeCache(tmp_path)
    scopecache._READ.clear()
    first = scope_uses(TEXT, WORDS, store)
    assert first is not None and first.stores == {"sc_tries"}
    plain, typedefs = prepared(TEXT, *WORDS)
    key = store.key(f"scopes\0{' '.join(typedefs)}\0{plain}")
    assert uses_from_data(store.get_data(key)) == (first,)
    # What is kept is what is read: a reading put there in its place is the answer, no parse made.
    other = Uses(frozenset({"sc_other"}), (), (), frozenset())
    store.put_data(key, uses_to_data(other))
    scopecache._READ.clear()
    assert scope_uses(TEXT, WORDS, store) == other
    assert scope_uses(TEXT, WORDS, None) == other  # this process' reading, asked again without the cache
    store.put_data(key, {"parsed": True})
    scopecache._READ.clear()
    assert scope_uses(TEXT, WORDS, store) == first
    assert uses_from_data(store.get_data(key)) == (first,)  # the damaged entry written anew
