"""Out-parameters of an entry point: the object the run hands it, and how what it stores there is shown."""

from __future__ import annotations

import re

# An out-parameter's feed: "out:TYPE", a pointer to an object of TYPE (harness.discover's out feeds) standing for the
# caller's local (u64 val; tdh_sys_rd(id, &val)): what the run stores there is read back, a read of what it has not
# stored is refused (models.outstate: what the caller put there is the caller's). The object is the entry wrapper's
# (models.cload), named OUT_PREFIX + entry + "_" + the parameter's position.
OUT_FEED = "out:"
OUT_PREFIX = "__sh_out_"
_OBJECT = re.compile(rf"^{OUT_PREFIX}\w+_(\d+)$")


def out_object(entry: str, position: int) -> str:
    """The name of the object an entry point's out-parameter at ``position`` (from 1) points to."""
    return f"{OUT_PREFIX}{entry}_{position}"


def out_label(name: str) -> str:
    """A run's state name for an out-parameter's object, ``*(parameter 2)``: by position, so that renaming the
    function or its parameter leaves the same state (models.mirror.changed_state); any other name as it is."""
    m = _OBJECT.match(name)
    return name if m is None else f"*(parameter {m.group(1)})"


def is_out_label(name: str) -> bool:
    """Whether a run's state name is an out-parameter's: what the run hands back to its caller, not state a later
    call starts from (each call's object is a new local of its caller's)."""
    return name.startswith("*(parameter ")


_IN_TEXT = re.compile(rf"&?{OUT_PREFIX}\w+?_(\d+)\b")


def out_named(text: str) -> str:
    """A run's error text with an out-parameter's object said as the parameter (``&__sh_out_rd_2`` -> ``parameter
    2's object``): the wrapper's name is the mirror's own."""
    return _IN_TEXT.sub(lambda m: f"parameter {m.group(1)}'s object", text)
