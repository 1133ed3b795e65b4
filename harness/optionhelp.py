"""The longer --help texts of seamharness's options, worded once for every command that takes them.

Plain strings (no typer: harness/cli.py alone imports it and builds the options from these); each says the
option's default as its text, not as click's ``[default: ...]`` (tests/harness/test_cli_help_defaults.py).
"""

from __future__ import annotations

from harness.budgets import STEP_BUDGET, TIME_BUDGET
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
STEP_BUDGET_HELP = ("mirror steps each piece of code may take over an entry point's scenarios (its runs' statements "
                    "and loop heads, counted alike on any host: where it cuts a runaway loop is the same idle or "
                    f"loaded); the scenarios past it are reported as cut short (limit 'time'); 0: no limit (default "
                    f"{STEP_BUDGET:,})")
TIME_BUDGET_HELP = ("wall-clock seconds each piece of code may run over an entry point's scenarios, a backstop: its "
                    f"budget is {STEP_BUDGET:,} mirror steps, the same on any host; the scenarios past either are "
                    f"reported as cut short (limit 'time'); 0: no limit (default {TIME_BUDGET:g})")
SOURCE = ("what the native side is built from: original (the default: each variant's own text, which gcc "
          "preprocesses; the mirror's expansion where it does not build, said per entry point) or mirror (C "
          "generated from the mirror's expansion only)")
AGAINST = ("compare every evaluated variant with this one (one of them: with --variant, give it as a --variant too; "
           "default: each patch with the state before it, each proposal with the patch it answers)")
MANIFEST = ("series manifest TOML: reviewer variants and the rules.toml beside it (default: the bundled series' that "
            "recognises the input, if one does)")
TREE = ("kernel git tree to read base files from (default: none; from mail alone only the lines the hunks show are "
        "known)")
BASE = ("base commit in --tree (default: the cover letter's base-commit:, else the commit whose blobs match the "
        "patches best)")
APPLY_VARIANT = "variant name, e.g. v3:06, or newest: the newest revision the input holds, whole"
OUT_DIR = ("folder to write the files into (replaced if it holds an earlier output none of whose files was edited "
           "since; its parent must exist)")
REJECT = ("write the variant even when a patch does not apply (or an input is not read): each such file with a .rej "
          "beside it, as git apply --reject; exit status 1 then")
VARIANTS = ("variant to evaluate, e.g. v3:06, or newest: the newest revision the input holds, whole (repeatable; "
            "default: all)")
MATRIX = "scenario matrix TOML (default: the bundled one whose [match] the patches' code meets)"
RULES = ("review rules TOML (default: the rules.toml beside --manifest, or the bundled series' when it recognises "
         "the input)")
JOBS = ("worker processes that run the scenarios, 0 or more (default 0: one per core; never more than the "
        "cores)")
CROSSCHECK = "also compile the C with --cc and check every outcome against the mirror's"
CROSSCHECK_CC = "C compiler for --crosscheck (default: cc, gcc or clang)"
GATE_VARIANT = ("the variant to judge, e.g. v3, or newest: the newest revision the input holds, whole (required: "
                "without it, the names the input builds are listed)")
GATE_JSON = ("write the gate's JSON here (seamharness-gate/2: each rule's verdict, with a patchwork check and a b4 "
             f"one; {TO_STDOUT})")
ALLOW_INCONCLUSIVE = "an error rule that cannot be judged (its code did not run) only warns"
TIMEOUT = "seconds per native child, 1 to 86400 (a day; default 30)"
