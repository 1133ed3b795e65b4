"""An HTML-only reply's words as plain text lines: paragraphs and breaks as lines, blockquotes as ``> `` quotes."""

from __future__ import annotations

from html.parser import HTMLParser

# Tags that end a line of text; <blockquote> quotes what it holds (one ``>`` a level, as a mailer's plain part has).
_BREAKS = {"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "hr", "table", "ul", "ol"}
_HIDDEN = {"style", "script", "head", "title"}


class _Text(HTMLParser):
    """Collects text lines with the source line each starts at."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[tuple[int, int, str]] = []  # (source line index, quote depth, text)
        self.depth = 0
        self.hidden = 0
        self.pre = 0
        self.current: list[str] = []
        self.start = 0

    def _end_line(self) -> None:
        text = " ".join("".join(self.current).split()) if not self.pre else "".join(self.current).rstrip()
        self.lines.append((self.start, self.depth, text))
        self.current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, +1)

    def handle_endtag(self, tag: str) -> None:
        self._tag(tag, -1)

    def _tag(self, tag: str, step: int) -> None:
        if tag in _HIDDEN:
            self.hidden = max(self.hidden + step, 0)
        elif tag == "blockquote" or tag in _BREAKS:
            if self.current or tag in ("br", "p"):
                self._end_line()
            if tag == "blockquote":
                self.depth = max(self.depth + step, 0)
            elif tag == "pre":
                self.pre = max(self.pre + step, 0)

    def handle_data(self, data: str) -> None:
        if self.hidden:
            return
        if not self.current:
            self.start = self.getpos()[0] - 1
        if self.pre:
            for i, part in enumerate(data.split("\n")):
                if i:
                    self._end_line()
                    self.start = self.getpos()[0] - 1 + i
                self.current.append(part)
        else:
            self.current.append(data)


def html_lines(numbered: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """The text of an HTML part (its decoded lines with input line numbers) as plain lines with the input line each
    starts at: blank lines between paragraphs, quotes at their ``>`` depth."""
    if not numbered:
        return []
    parser = _Text()
    parser.feed("\n".join(t for _, t in numbered))
    parser.close()
    if parser.current:
        parser._end_line()
    out: list[tuple[int, str]] = []
    for index, depth, text in parser.lines:
        number = numbered[min(index, len(numbered) - 1)][0]
        if not text:
            if out and out[-1][1]:
                out.append((number, ""))
            continue
        if out and out[-1][1] and _depth(out[-1][1]) != depth:
            out.append((number, ""))  # a quote starts or ends: a paragraph of its own
        out.append((number, "> " * depth + text))
    return out


def _depth(line: str) -> int:
    stripped = line.replace(" ", "")
    return len(stripped) - len(stripped.lstrip(">"))
