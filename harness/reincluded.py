"""Headers with no include guard that a state's files include more than once, which the mirror reads once."""

from __future__ import annotations

from harness.memo import by_identity
from harness.tuorder import include_guard, include_target, present
from harness.variants import Variant
from models.cdirectives import in_text


def reincluded(v: Variant) -> str:
    """Why a definition may be missing that the lines read would give gcc: a header known whole, with no include
    guard and no ``#pragma once``, that ``#include`` lines of the state's files name twice or more (a template
    instantiated with other macros each time). gcc reads it at each of them; the mirror reads each file once
    (harness.tuorder), so what a later inclusion defines is not read. "" when there is none; once per variant."""
    return str(by_identity("reincluded", (v,), (), lambda: _reincluded(v)))


def _reincluded(v: Variant) -> str:
    files = present(v.files)
    sites: dict[str, list[str]] = {}
    for f in files.values():
        for n in sorted(f.includes):  # '#include \\' then '"t.h"': one directive (phase 2)
            target = include_target(f, n, files)
            if target is not None and target in files:
                sites.setdefault(target, []).append(f"{f.path}:{n}")
    said = []
    for path, where in sorted(sites.items()):
        f = files[path]
        if len(where) < 2 or not f.complete or include_guard(v.files, path) is not None or _once(f.text or ""):
            continue
        said.append(f"{path} has no include guard and is included {len(where)} times ({', '.join(where)}): gcc "
                    "reads it at each, the mirror reads a header once, so what a later inclusion defines is not read")
    return "; ".join(said)


def _once(text: str) -> bool:
    """Whether a header's text holds ``#pragma once``, read as gcc reads it (models.cdirectives: ``#pragma \\``
    then ``once``, ``%:pragma once``, ``# /* c */ pragma once``): gcc then reads the header once per unit."""
    return any(d.name == "pragma" and d.rest.split()[:1] == ["once"] for d in in_text(text))
