"""C code a reply writes out with no diff lines ('Something like:' and a function): said as no variant, not dropped."""

from __future__ import annotations

from harness.model import ProposalKind, Series, Skipped


def unapplied_code(series: Series, named: frozenset[str]) -> tuple[Skipped, ...]:
    """One note per reply that proposes C code with no '-'/'+' lines (a snippet): git apply has nothing in it to
    apply, so no variant is made of it, which eval and gate said nowhere (the series tree lists it as a proposal).
    A reply a manifest variant names (``named``: its Message-ID) is built by that variant's patch file: not said."""
    out: list[Skipped] = []
    for rev in series.revisions:
        below = [("the cover letter", rev.cover)] if rev.cover is not None else []
        below += [(f"v{rev.version} {p.label}", p) for p in rev.patches]
        below += [(f"v{rev.version} {q.label} <{q.mail.msgid}> (a later posting replaced it)", q) for slot in rev.slots
                  for q in slot.superseded]
        for label, mail in below:
            for r in mail.replies:
                code = [prop for prop in r.proposals if prop.kind is ProposalKind.SNIPPET]
                if not code or r.mail.msgid in named:
                    continue
                lines = ("line " if len(code) == 1 else "lines ") + ", ".join(str(prop.where.line) for prop in code)
                out.append(Skipped(code[0].where, f"code in the reply of {r.mail.author} <{r.mail.msgid}> to {label} "
                                                  f"({lines}) is no variant: it has no diff lines ('-'/'+' under "
                                                  "an '@@' header) for git apply to apply (a manifest variant builds "
                                                  "it from a patch file, --manifest FILE)"))
    return tuple(out)
