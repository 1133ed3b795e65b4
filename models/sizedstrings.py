"""SizedStrings: the bytes of string literals the code needs as it is compiled, a pr_fmt() in them included."""

from __future__ import annotations

from models.errors import UnsupportedConstruct
from models.literals import sized_string_bytes, string_bytes, uses_pr_fmt
from models.prfmt_forms import site_prefix


class SizedStrings:
    """The bytes of the literals compiling needs (an array's size and contents, sizeof): a pr_fmt() in one is the
    prefix of the pr_fmt in force at its site (models.prfmt_forms.site_prefix), as the preprocessor fixes it for
    the file (include/linux/printk.h), taken from the pr_fmt of the run whose call compiles it. The prefix each
    site was given is kept: compiled code holds for a run with another pr_fmt only if every site has the same
    prefix there (fits; models.mirror compiles anew for one that does not). No pr_fmt (a file-scope
    static_assert, a static reading): refused, as is a header's site whose prefix depends on the unit that
    included it (one compiled copy of the header's code cannot tell)."""

    def __init__(self) -> None:
        self.pr_fmt: str | None = None
        self.given: dict[str, bytes] = {}
        # What fits() found per pr_fmt, until a site is sized anew: a matrix asks it before each run, nearly always
        # with the same pr_fmt (each site's prefix was worked out again for every run).
        self._fits: dict[str, bool] = {}

    def bytes_of(self, text: str, where: str) -> bytes:
        """The literal's bytes, without the NUL (models.literals.sized_string_bytes when it has no pr_fmt())."""
        if self.pr_fmt is None or not uses_pr_fmt(text):
            return sized_string_bytes(text, where)
        try:
            prefix = site_prefix(self.pr_fmt, where, None)  # None: a header's, the same for every unit, or refused
        except UnsupportedConstruct as exc:
            raise UnsupportedConstruct(where, f"the size of a string with pr_fmt() in it: {exc.message}") from exc
        if self.given.get(where) != prefix:
            self.given[where] = prefix
            self._fits.clear()
        return string_bytes(text, prefix)

    def fits(self, pr_fmt: str) -> bool:
        """Whether every site sized so far has the same prefix in a run with this pr_fmt."""
        if not self.given:
            return True
        fits = self._fits.get(pr_fmt)
        if fits is None:
            if len(self._fits) >= _KEPT:
                self._fits.clear()
            fits = self._fits[pr_fmt] = all(_prefix(pr_fmt, where) == prefix for where, prefix in self.given.items())
        return fits


_KEPT = 64  # answers kept per SizedStrings: a run's pr_fmt is its unit's, a few per program


def _prefix(pr_fmt: str, where: str) -> bytes | None:
    try:
        return site_prefix(pr_fmt, where, None)
    except UnsupportedConstruct:
        return None
