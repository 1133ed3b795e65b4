"""gcc's ``file:line`` of code below a ``#line``, carrying the line the file holds it on (read without a parser)."""

from __future__ import annotations

import json
import pickle

from models.gccplace import Place, file_place


def test_a_place_is_gccs_line_as_text_and_keeps_the_files_through_a_copy() -> None:
    at = Place("x.c:101", "x.c:4")
    assert at == "x.c:101" and hash(at) == hash("x.c:101") and f"{at}" == "x.c:101" and json.dumps(at) == '"x.c:101"'
    again = pickle.loads(pickle.dumps(at))  # an outcome's event crosses to the parent process so
    assert (again, file_place(again)) == ("x.c:101", "x.c:4")
    assert file_place("x.c:7") == "x.c:7" and file_place(Place("x.c:7")) == "x.c:7"
