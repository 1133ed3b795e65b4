"""``python -m harness``: the seamharness command line (harness.launch)."""

from harness.launch import console

console()
