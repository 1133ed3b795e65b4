"""[[read]] tables of a rules file: each a reply the user read and what it said; a bad one refused at its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.errors import InputError
from harness.readreplies import replies_read


def test_each_reply_read_is_its_words_and_place(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text('[[read]]\nmsgid = "<a@x>"\nsaid = "thanks only"\n\n'
                    '[[read]]\nmsgid = "b@x"\nsaid = "asks for v3"\n')
    assert replies_read(path) == {"a@x": f'"thanks only" ({path}:1)', "b@x": f'"asks for v3" ({path}:5)'}


@pytest.mark.parametrize(("text", "line", "said"), [
    ('[[read]]\nmsgid = "f1@x"\nsaid = "fine"\nseen = true\n', 4, "unknown key 'seen'"),
    ('[[read]]\nmsgid = "f1@x"\n', 1, "missing key 'said'"),
    ('[[read]]\nmsgid = "f1@x"\nsaid = " "\n', 3, "'said' of a [[read]] table is empty"),
    ('[[read]]\nmsgid = "<>"\nsaid = "x"\n', 2, "'msgid' of a [[read]] table is empty"),
    ('[[read]]\nmsgid = 3\nsaid = "fine"\n', 2, "msgid"),
    ('[[read]]\nmsgid = "f1@x"\nsaid = "a"\n[[read]]\nmsgid = "<f1@x>"\nsaid = "b"\n', 5, "in two [[read]] tables"),
    ('read = "f1@x"\n', 1, "[[read]] table"),
])
def test_a_bad_read_table_is_refused_at_its_line(tmp_path: Path, text: str, line: int, said: str) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(text)
    with pytest.raises(InputError) as e:
        replies_read(path)
    assert f"{path}:{line}" in str(e.value) and said in str(e.value), str(e.value)
