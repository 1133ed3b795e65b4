"""A leaf printed by a conversion narrower than its argument (``%#x`` of a u64): gcc -Wformat's warning, as evidence."""

from __future__ import annotations

from harness.matrix import Scenario
from harness.variants import Variant
from harness.verdict import CheckContext, Evidence
from models.facts import SITE_LEAF_ARG

EXPECTED = "the leaf printed whole: a conversion as wide as its argument"


def narrowed_leaf(v: Variant, ctx: CheckContext, runs: dict[str, list[Scenario]]) -> list[Evidence]:
    """One Evidence per printk-family conversion, in the code the entry points of ``runs`` (entry -> the scenarios
    the rule judges, maybe none) reach, that prints the leaf with 32 bits or fewer of its 64-bit argument
    (models.printwidth): vsnprintf() prints the low bits, 0x8000000000000021 as 0x21, whatever the runs showed,
    which read as the leaf with its bit 63 masked off. Its actual is gcc's warning, ``path:line: warning: format
    '%x' expects argument of type 'unsigned int', but argument 2 has type 'u64' {aka 'long long unsigned int'}``;
    none when the code's facts could not be read (another check says so) or no conversion is narrower."""
    facts = ctx.facts(v)
    if isinstance(facts, str) or not facts.narrow_prints:  # most code has none: nothing else is read
        return []
    narrow = {f"{key}@{index}": (where, why) for sites in facts.narrow_prints.values()
              for key, index, where, why in sites}
    found: dict[str, Evidence] = {}
    for entry, scenarios in runs.items():
        for _, kind, key in facts.leaf_sites.get(entry, []):
            if kind == SITE_LEAF_ARG and key in narrow and key not in found:
                where, why = narrow[key]
                found[key] = Evidence(EXPECTED, f"{where}: warning: {why}", scenarios[0] if scenarios else None,
                                      where)
    return list(found.values())
