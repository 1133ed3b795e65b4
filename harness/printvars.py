"""Lines printing the leaf that read a variable set from outside the runs: what they print was seen at one value."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from harness.leafsame import PRINTS, site_place
from harness.runner import variant_sources
from harness.variants import Variant
from harness.verdict import CheckContext
from models.loader import definitions
from models.slicer import Definition, Kind

_REACH = 12  # lines a statement spans, either way from the line a site is on, read at most


def unsettled_prints(v: Variant, ctx: CheckContext, entries: Iterable[str]) -> list[str]:
    """Each print of the leaf (models.leafflow's print and WARN() sites) in what ``entries`` reach whose statement
    names a module parameter or a variable code no run executes may set (harness.behaviour.set_outside), itself or
    through a local of its function or a function of the files it calls (_followed): a format held in a pointer an
    unrun setter points at '%llu' (``pr_err(seamldr_fmt, fn)``), a flag picking the conversion. The runs printed
    it with the value it starts with; another, set from outside them, prints otherwise, which gcc's build does
    (lib/vsprintf.c reads the format at run time). Said once per line."""
    from harness.behaviour import set_outside

    facts = ctx.facts(v)
    if isinstance(facts, str):
        return []  # said by unshown_leaf_sites
    outside = ctx.once(("set outside the runs", v.name), lambda: set_outside(v, ctx, facts))
    if not outside:
        return []
    table = definitions(variant_sources(v))
    found: dict[str, None] = {}
    for entry in sorted(entries):
        for function, kind, key in facts.leaf_sites.get(entry, ()):
            path, _, line = site_place(kind, key).rpartition(":") if kind in PRINTS else ("", "", "")
            text = _statement(v, path, int(line)) if line.isdigit() else ""
            text = _followed(text, function, table) if text else ""
            for name, why in sorted(outside.items()):
                if text and re.search(rf"\b{re.escape(name)}\b", text):
                    found[f"a line printing the leaf in {function}() at {path}:{line} reads {name}, {why}: the "
                          "runs printed it at its initial value"] = None
    return list(found)


def _followed(text: str, function: str, table: Mapping[str, list[Definition]], depth: int = 3) -> str:
    """``text`` (a print's statement in ``function``) with what its names hold there: each store or initializer of a
    local it names in that function ('const char *fmt = seamldr_fmt;'), and the text of each function of the files
    it calls ('seamldr_fmt_get()'), followed ``depth`` calls deep: a format or flag handed on, not named."""
    body = next((d.text for d in table.get(function, ()) if d.kind is Kind.FUNCTION), "")
    words = set(re.findall(r"\b[A-Za-z_]\w*\b", text))
    stores = [m.group() for w in sorted(words) if w in body
              for m in re.finditer(rf"\b{re.escape(w)}\s*(?:\[[^\]\n]*\]\s*)?[-+*/%&|^]?=(?!=)[^;]*", body)]
    calls = [d.text if depth <= 1 else _followed(d.text, name, table, depth - 1)
             for name in sorted(words - {function}) for d in table.get(name, ()) if d.kind is Kind.FUNCTION]
    return "\n".join([text, *stores, *calls])


def _statement(v: Variant, path: str, line: int) -> str:
    """The statement the source line ``path:line`` of the variant is part of: back to the line after one ending a
    statement or a block (';', '{', '}'), on to one ending it (';'), _REACH lines each way at most."""
    for src in variant_sources(v):
        for start, piece in src.pieces if src.path == path else ():
            if not start <= line < start + len(piece):
                continue
            at = line - start
            first = at
            while first > 0 and at - first < _REACH and not piece[first - 1].rstrip().endswith((";", "{", "}")):
                first -= 1
            last = at
            while last + 1 < len(piece) and last - at < _REACH and not piece[last].rstrip().endswith(";"):
                last += 1
            return "\n".join(piece[first:last + 1])
    return ""
