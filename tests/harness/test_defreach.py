"""Whether the entry points reach a definition: an enum's enumerators, each line's and each one reached."""

from __future__ import annotations


def test_the_enumerators_a_line_changes_are_its_own_and_those_counting_on_from_them() -> None:
    from harness.defreach import enumerators_on
    from models.slicer import slice_fragment

    text = "enum demo {\n\tA = 1,\n\tB = 3,\n\tC,\n\n\tD,\n\tE = (1, 2),\n\tF\n};\nenum { P = 1, Q, R = 4, S };"
    enum, *_, pqrs = slice_fragment(text.splitlines(), "e.h", 1)
    assert [enumerators_on(enum, n) for n in range(1, 10)] == [
        ([], []), (["A"], []), (["B"], ["C", "D"]), (["C"], ["D"]), ([], []), (["D"], []), (["E"], ["F"]),
        (["F"], []), ([], [])]
    assert enumerators_on(pqrs, 10) == (["P", "Q", "R", "S"], [])


def test_the_enumerators_of_a_long_enum_are_read_once() -> None:
    """Each changed line of an enum of 20,000 enumerators asked which it defines: read anew for each, minutes
    (5ff182fd^). Counted, not timed: harness.defreach's lines for every line of an enum of n enumerators, and of
    twice as many, grow some twice (the enum read anew for each line: four times)."""
    import harness.defreach
    from harness.defreach import enumerators_on
    from models.slicer import Definition, Kind
    from tests.linesrun import lines_at

    def run(n: int) -> None:
        harness.defreach._enumerators.cache_clear()  # read once here, whatever an earlier test left in the cache
        text = "enum big {\n" + "".join(f"\tE{i:05} = {i:05},\n" for i in range(n)) + "};"  # each line as long
        enum = Definition(Kind.ENUM, "E00000", text, "b.h", 1)
        got = [enumerators_on(enum, k) for k in range(2, n + 2)]
        assert got == [([f"E{i:05}"], []) for i in range(n)]

    small, big = lines_at(run, (1_000, 2_000), harness.defreach)
    assert 0 < big <= 2.2 * small, (small, big)


def test_whether_each_enumerator_of_a_long_enum_is_reached_is_found_in_linear_time() -> None:
    """Every enumerator of an enum is a definition of its whole text, each naming all the others: the users index listed
    each enumerator as a user of every other (n squared), and each asked again about the enum's tag. Counted, not
    timed: harness.defreach's lines for an enum of n enumerators, and of twice as many, grow some twice."""
    import harness.defreach
    from harness.defreach import reaches
    from models.slicer import Definition, Kind
    from tests.linesrun import lines_at

    def run(n: int) -> None:
        harness.defreach._tags.cache_clear()  # the same work at each size, whatever an earlier test left
        text = "enum big {\n" + "".join(f"\tE{i:05},\n" for i in range(n)) + "};"
        enums = [Definition(Kind.ENUM, f"E{i:05}", text, "b.h", 1) for i in range(n)]
        user = Definition(Kind.FUNCTION, "f", "int f(void)\n{\n\treturn E00007;\n}", "b.h", n + 3)
        table = {d.name: [d] for d in [*enums, user]}
        got = [reaches(d, table, {id(user)}) for d in enums]
        assert got == [i == 7 for i in range(n)]

    small, big = lines_at(run, (500, 1_000), harness.defreach)
    assert 0 < big <= 2.2 * small, (small, big)
