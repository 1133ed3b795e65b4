"""What `seamharness series` loads: the readers of what only some inputs hold stay unloaded where none does."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

# Each is read for one kind of input the corpus holds none of (a refusal's reason, a binary patch, a date naming no
# zone, an unsent mbox, a reply's variant name, a sentence below quoted code, a reply's diff that misses): series
# loaded all seven at every start (issue 18: series <= 0.6x b4 am, about 90% of it start-up).
_UNUSED = ("harness.ackreasons", "harness.contextmiss", "harness.diffbinary", "harness.glibcmktime",
           "harness.mboxrdquote", "harness.personnames", "harness.sentenceline")


def _loaded(corpus: Path) -> set[str]:
    code = ("import sys\nfrom harness.cli import main\ntry:\n    main(['series', sys.argv[1], '--offline'])\n"
            "except SystemExit:\n    pass\nprint(' '.join(sorted(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code, str(corpus)], capture_output=True, text=True, check=True).stdout
    return set(out.strip().splitlines()[-1].split())


def test_series_of_the_corpus_leaves_the_readers_it_does_not_use_unloaded(corpus: Path) -> None:
    loaded = _loaded(corpus)
    assert "harness.replies" in loaded  # the replies were read: the run got that far
    assert sorted(loaded.intersection(_UNUSED)) == []
