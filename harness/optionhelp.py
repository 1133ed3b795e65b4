"""The longer --help texts of seamharness's options, worded once for every command that takes them.

Plain strings (no typer: harness/cli.py alone imports it and builds the options from these); each says the
option's default as its text, not as click's ``[default: ...]`` (tests/harness/test_cli_help_defaults.py).
"""

from __future__ import annotations

from harness.budgets import TIME_BUDGET
from harness.threadcache import DEFAULT_MAX_AGE
from reports.formats import BIG_JSON_ROWS

TO_STDOUT = "'-' writes it to stdout, and the terminal summary then goes to stderr; default: none is written"
# Named beside --no-cache and `seamharness cache`, which are the outcome cache's: the help says which cache it is.
CACHE_DIR = ("where threads fetched from lore are kept (default: $XDG_CACHE_HOME/seamharness/lore; not the outcome "
             "cache)")
MAX_AGE = ("download a fetched thread anew when its cached copy is this many minutes old (default "
           f"{DEFAULT_MAX_AGE}, as b4's cache-expire; 0: always)")
MATRIX_ADD = ("scripts of your own for the matrix that runs, bundled or --matrix's (repeatable: each file's after the "
              "last): a TOML file of [[script]] tables (name, answers; optional leaves, repeat_first, cpu, inputs) "
              "and a [codes] table for the answer names the matrix lacks; any other key or table is refused (an "
              "entry point, unit or leaf needs --matrix; docs/matrix.md); default: none")
JSON_LAYOUT = ("results in --json: rows (one per variant x scenario the variant provides), by-variant (an array per "
               f"variant) or auto (the default: rows up to {BIG_JSON_ROWS:,} rows, by-variant past that, said on "
               "stderr)")
TIME_BUDGET_HELP = ("wall-clock seconds each piece of code may run over an entry point's scenarios; the scenarios past "
                    "it are reported as cut short (limit 'time'); 0: no limit (default "
                    f"{TIME_BUDGET:g})")
SOURCE = ("what the native side is built from: original (the default: each variant's own text, which gcc "
          "preprocesses; the mirror's expansion where it does not build, said per entry point) or mirror (C "
          "generated from the mirror's expansion only)")
AGAINST = ("compare every evaluated variant with this one (one of them: with --variant, give it as a --variant too; "
           "default: each patch with the state before it, each proposal with the patch it answers)")
