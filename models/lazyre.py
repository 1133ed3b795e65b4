"""Regular expressions compiled when first used, for the large ones few inputs reach."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import AnyStr

# A directive's '#', or its digraph '%:' (C11 6.4.6p3: gcc reads '%:define X 1' as '#define X 1'), as a pattern
# piece: the readers of raw lines spell a directive's introducer by it, so none misses the digraph.
POUND = r"(?:#|%:)"


def lazy(pattern: AnyStr, flags: int = 0) -> Callable[[], re.Pattern[AnyStr]]:
    """A function returning ``re.compile(pattern, flags)``, compiled at its first call and kept.

    Why: compiling is paid by every process at import, and a pattern of a few hundred characters costs about
    a millisecond; the review-reply patterns alone were 4% of `series`, most of them for sentences the corpus
    never has (a drop request by number, an agreement with a NAK). A bad pattern raises re.error at first use,
    which the tests reach. Here in models so that the mirror's modules and the harness's use one function.
    """
    return functools.cache(lambda: re.compile(pattern, flags))
