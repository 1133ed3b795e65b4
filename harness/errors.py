"""Errors that carry the place they come from; the CLI turns them into exit status 2."""

from __future__ import annotations

from models.record import record

# Where a `-` input is read from; every message names it `-`, as the command line did (git says "<stdin>").
STDIN = "/dev/stdin"


@record
class Where:
    """A place in an input: file, line (0 when unknown) and Message-ID when known."""

    path: str
    line: int = 0
    msgid: str | None = None

    @property
    def file(self) -> str:
        """The input's name as the command line gave it: ``-`` for standard input (``path`` is where it is read)."""
        return "-" if self.path == STDIN else self.path

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


def small_start(text: str) -> str:
    """``text`` worded as every message of seamharness is: no capital to start ("No such file or directory" -> "no
    such file or directory"); a name or an abbreviation starting it ("TOML", "Message-ID") is kept."""
    return text[:1].lower() + text[1:] if text[:2].istitle() else text


def os_reason(exc: BaseException) -> str:
    """Why the system refused (an OSError's strerror, else its text), small_start: "cannot read: ..." reads alike
    whichever call raised it."""
    return small_start(getattr(exc, "strerror", None) or str(exc))


class SeamError(Exception):
    """Bad input: one line naming file and line; never a traceback."""

    def __init__(self, where: Where | str | None, message: str) -> None:
        self.where = Where(where) if isinstance(where, str) else where
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        text = " ".join(self.message.split())
        return f"{self.where}: {text}" if self.where else text


class InputError(SeamError):
    """An input file that cannot be read or parsed."""


class ApplyError(SeamError):
    """A patch or proposal that cannot be applied."""


class UsageError(SeamError):
    """Options that do not fit together or name something that does not exist."""
