"""``python -m harness``: the seamharness command line."""

from harness.cli import run

run()
