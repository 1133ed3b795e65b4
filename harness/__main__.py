"""``python -m harness``: the seamharness command line."""

import sys

from harness.cli import main

sys.exit(main())
