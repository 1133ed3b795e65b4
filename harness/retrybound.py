"""A bound on the SEAMCALLs that the runs met only because each script stopped answering what the code retries on."""

# The matrix's scripts answer a code K times and then another ("no entropy" x1, x9, x10, x11, then success). Code
# that goes round every one of the K answers and stops at the next, in every run of that code, never showed where it
# gives up on its own: a loop of 13 tries made at most 12 SEAMCALLs in every run, and `calls_at_most = 12` passed
# (gcc, natively: 13 SEAMCALLs when the answers go on). A run that stops while still answered that code shows it.

from __future__ import annotations

from collections.abc import Iterable

from harness.matrix import Scenario
from models.outcome import Outcome

# (entry point, leaf, unit, the code answered): per key, the most SEAMCALLs a run made going round every such answer,
# and whether some run stopped while still answered it (the code's own bound shown).
_Key = tuple[str, int, str, int]


def unshown_bounds(outs: Iterable[tuple[Scenario, Outcome]], bound: int) -> list[str]:
    """Where the runs of ``outs`` never show that the code stops within ``bound`` SEAMCALLs on the code a script
    answers again and again: said per entry point, leaf and code, for a rule's note (empty: shown, or no script
    answers a code more than once in a row before another). Runs past the record cap are not read."""
    through: dict[_Key, tuple[int, str, str]] = {}  # the most SEAMCALLs, the leaf's and the script's names
    stopped: set[_Key] = set()
    for s, o in outs:
        codes = [a.code for a in s.script.answers]
        if not o.ran or o.unrecorded_calls or not codes or not codes[0]:
            continue  # a script opening with success: a second SEAMCALL after it is no retry of an answer
        first = codes[0]
        k = next((i for i, c in enumerate(codes) if c != first), None)
        key = (s.entry.name, s.leaf, s.unit.name, first)
        answered = [c.returned for c in o.calls]
        if k is None or (answered and len(answered) <= k and answered[-1] == first):
            stopped.add(key)  # answered that code to the end (the last answer repeats), or gave up while answered it
        elif len(answered) == k + 1 and answered[:k] == codes[:k] and k + 1 > through.get(key, (0, "", ""))[0]:
            through[key] = (k + 1, s.leaf_name, s.script.name)
    unshown: dict[tuple[str, int, int, str], list[str]] = {}  # entry, code, SEAMCALLs, script: the leaves
    for key, (n, leaf, script) in sorted(through.items()):
        if key not in stopped and n <= bound:
            unshown.setdefault((key[0], key[3], n, script), []).append(leaf)
    return [f"{entry} (leaf {', '.join(dict.fromkeys(leaves))}) went round all {n - 1} answers {code:#x} of script "
            f"{script} and stopped at the next: no run stops while still answered {code:#x}, so that it gives up "
            f"within {bound} SEAMCALLs on more such answers is not shown (no selected script answers it more than "
            f"{n - 1} times in a row)"
            for (entry, code, n, script), leaves in unshown.items()]
