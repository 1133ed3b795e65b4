"""Writes reports/templates/report.html.j2.py.txt: the page template's Python as jinja2 generates it (reports.pagecode).

Run after editing the template or upgrading jinja2: ``python tools/make_page_code.py``. Until then the page is the
same (the shipped source names another text or version, so jinja2 compiles the template), only not faster; a test
(tests/reports/test_pagecode.py) fails until it is run.
"""

from __future__ import annotations

from reports.pagecode import SHIPPED, page_source


def main() -> None:
    with open(SHIPPED, "w", encoding="utf-8", newline="\n") as f:
        f.write(page_source())


if __name__ == "__main__":
    main()
