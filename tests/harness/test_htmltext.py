"""An HTML part as plain lines: paragraphs and breaks end lines, blockquotes are quotes, style and script unseen."""

from __future__ import annotations

from harness.htmltext import html_lines

GMAIL = """<html><head><style>p { color: red }</style></head><body><div dir="ltr">Looks fine to me.<br></div>
<div class="gmail_quote"><div class="gmail_attr">On Mon, Olga &lt;o@example.org&gt; wrote:<br></div>
<blockquote class="gmail_quote">NAK, this special-cases the loader.<br><blockquote>deeper</blockquote>back
</blockquote></div><pre>int x;
  y = 1;</pre></body></html>"""


def test_html_reads_as_a_plain_reply_with_quotes_at_their_depth() -> None:
    lines = html_lines(list(enumerate(GMAIL.split("\n"), start=40)))
    assert [t for _, t in lines if t] == ["Looks fine to me.", "On Mon, Olga <o@example.org> wrote:",
                                          "> NAK, this special-cases the loader.", "> > deeper", "> back", "int x;",
                                          "  y = 1;"]
    assert dict((t, n) for n, t in lines)["> NAK, this special-cases the loader."] == 42  # the input line it is on
    assert "color" not in " ".join(t for _, t in lines)


def test_no_html_no_lines() -> None:
    assert html_lines([]) == [] and html_lines([(1, "<br>")]) == []
