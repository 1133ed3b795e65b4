"""An entry point only another state of the input defines, which a state lacks where it is defined: what is known."""

from __future__ import annotations

import re

from harness.coverage import absent_from_home, later_reason, named_anywhere
from harness.runner import variant_sources
from harness.variants import Variant
from harness.verdict import CheckContext
from models.loader import definitions

_PATCH_LABEL = re.compile(r"v\d+ \d+/\d+")


def lacks_as_start(v: Variant, start: Variant | None, name: str, origin: str | None) -> bool:
    """Whether a reviewer variant lacks a discovered entry point as the state it is built on does: ``start`` lacks
    it where it is defined (coverage.absent_from_home), on the same base, no known line of ``v`` names it (a patch
    or proposal it adds), no patch it drops defines it, and no patch of the start removes it (the variant, dropping
    that patch, may keep it in lines not read). A file the variant cannot use (a helper of a dropped patch missing)
    left it unknown: 'give --tree', though the tree is the start's base, which no later revision's name is in."""
    return start is not None and start.base == v.base and absent_from_home(start, name, origin) and \
        not named_anywhere(v, name) and all(n != name for n, _ in (*v.dropped_defines, *start.removed_defines))


def _defined_by(ctx: CheckContext, name: str, origin: str) -> tuple[str, str] | None:
    """The state of the input whose code defines ``name`` at ``origin`` ('path:line') and the patch whose line it is
    ('v4 06/24', or "" where no patch's line is): the first such state; None where none does."""
    for x in ctx.result.variants:
        found = definitions(variant_sources(x)).get(name)
        if not found or found[0].where != origin:
            continue
        held = x.file(found[0].path)
        label = held.lines.get(found[0].line, ("", ""))[1].split(" <", 1)[0] if held is not None else ""
        return (label.split(" ", 1)[0], label) if _PATCH_LABEL.fullmatch(label) else (x.name, "")
    return None


def _revision(state: str) -> int | None:
    """The revision of a state's name ('v4', 'v4:06'); None for a reviewer variant's."""
    found = re.match(r"v(\d+)(?::\d+)?$", state)
    return int(found.group(1)) if found else None


def new_elsewhere(v: Variant, ctx: CheckContext, name: str, origin: str | None) -> str | None:
    """Why ``v`` does not run an entry point another state defines, where ``v`` (or the state it is built on) holds
    the file it is defined in whole without it, or lacks that file yet: it is new there, and a tree would not hold
    it either. Was 'v3 does not define seamcall_checked(): none of the files read has it ...; give --tree' of a
    wrapper only v4 adds, and so of a reviewer variant built on v3. None where that is not known."""
    if origin is None or later_reason((v,), name):
        return None  # "v3 07/26 adds it later (a tree would not hold it yet)" says more
    start = ctx.variant(v.start) if v.start else None
    via = lacks_as_start(v, start, name, origin)
    if not via and not absent_from_home(v, name, origin):
        return None
    where = ctx.once(("defined by", name, origin), lambda: _defined_by(ctx, name, origin))
    if where is None or where[0] == v.name:
        return None
    state, label = where
    # "new" only of a later revision than the one lacking it: a name an earlier one had is one it no longer has.
    defining = _revision(state)
    later = defining is not None and defining > ((start or v).revision or 0)
    new = f"{name}() is {'new in' if later else 'in'} {state}" + (f" ({label} defines it)" if label else "")
    if via and start is not None:
        return f"{new}; {v.name} is built on {start.name}, which does not define it: a tree would not hold it either"
    path = origin.rsplit(":", 1)[0]
    f = v.file(path)
    held = f"lacks {path} yet (a later patch creates it)" if f is None else \
        f"has no {path}" if f.absent else f"holds {path} whole without it"
    return f"{new}; {v.name} {held}: a tree would not hold it either"
