"""Text from mail and patches made safe for a terminal: control characters become visible escapes."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.text import Text

# C0 controls except tab and newline, DEL, and C1 controls: enough to stop escape-sequence injection.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(text: str) -> str:
    """``text`` with every control character shown as ``\\xNN``."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def markup(text: str) -> str:
    """Cleaned and escaped for rich markup."""
    from rich.markup import escape  # rich loads only when something is rendered with it

    return escape(clean(text))


def styled(marked: str) -> Text:
    """Rich markup as Text, folded at the terminal's width. Its variable parts must have gone through
    markup(); :name: emoji codes are never replaced, so mail text such as ":x:" stays itself."""
    from rich.text import Text

    return Text.from_markup(marked, overflow="fold", emoji=False)
