"""A reply written in a language seamharness does not read is said as not read, and blocks the gate: its NAK passed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from harness.language import unread_language
from tests.harness.test_gate_naks import MAE, OLGA, RULE, _replies

runner = CliRunner()

FOREIGN = [
    "请不要合并这个补丁。",  # Chinese: please do not merge this patch
    "Hi Ann,\n\n请不要合并这个补丁，重试逻辑是错的。\n\nThanks,\nWang",
    "Bitte diesen Patch nicht übernehmen, der Retry ist falsch.",
    "このパッチはマージしないでください。",
    "Пожалуйста, не применяйте этот патч, цикл повторов неверен.",
    "Не применять.",  # two words, not a name
    "Merci de ne pas appliquer ce correctif, la boucle est fausse.",
    "Por favor no apliquen este parche, el reintento es incorrecto.",
    "이 패치를 병합하지 마세요.",
    "Proszę nie łączyć tej łatki, pętla się nie kończy.",  # no word of any list: its letters
    "不行",  # too short for a sentence to tell: no Latin letter in the reply at all
    "Нет.",
    "Nein.",  # a one-word refusal in another Latin-script language: read as nothing before
    "Non.",
    "Nee.",
    "Niet.",
    "Nein, danke.\n\nMae",
    "NEIN!",  # in capitals, which are no prose words (NAK, TDX): read as nothing before
    "BITTE DIESEN PATCH NICHT ÜBERNEHMEN.",
    "NIE!",  # in capitals, by the other languages' commonest words (harness/data/other-words.txt): no list held these
    "EI.",
    "NÖ!",  # a letter English does not write
    # Short replies of languages no list held: read as English only when their words are English's (its vocabulary).
    "Nie.",
    "Jamais.",
    "Nunca.",
    "No, grazie.",
    "Nej.",
    "Ei.",
    "Hayır.",
    "Όχι.",
    "Absolutamente no.",
    "Nein, Danke.",  # a capitalised word after the first is a name, but then the first is judged
    "Hola, Kai.",
    "Danke!",  # a word of thanks alone in another language: read as nothing before, now said (errs to blocking)
    # Four to fourteen words with no accent, judged by the share of them English's vocabulary holds: one word of a list
    # of English's own ("is", "my") made a sentence English's, and one of no list of other languages' words passed.
    "Deze patch is fout, niet mergen.",
    "Ich withdraw my NAK nicht.",  # "I do not withdraw my NAK": read as English, its withdrawal taken
    "Tolong jangan gabungkan patch ini, perulangannya salah.",
    "Prosze nie laczyc tej latki, petla sie nie konczy.",
    "Bu yamayi birlestirmeyin, dongu yanlis.",
    "Vennligst ikke flett denne patchen, loekken er feil.",
    # Three quarters English's, but one word another language's commonest (harness/data/other-words.txt): "I do not
    # withdraw my NAK" and "Never mind, do not keep it", read as their English look-alikes.
    "I withdraw my NAK nicht.",
    "Never mind, keep it nicht.",
    "I withdraw my NAK nicht (sorry).",  # a word before a parenthesis is prose's, not a name of code
    # A name of C code another language writes too is judged as no word; the rest of the sentence still is.
    "Nie, toto len zhorsuje kod.",
]
READ = [
    "Thanks! 谢谢",
    "Looks good to me.\n\nThanks,\nИван Петров",
    "Looks good to me.\n\nThanks,\n王小明",
    "Reviewed-by: Jürgen Groß <jgross@example.org>",
    "Looks good, thanks José: the naïve retry was the only problem. Grüße aside, ship it.",
    "Tested on SPR, boots fine, no regressions seen.",
    "static long long busy(u64 fn, struct tdx_module_args *args)",
    "NAK",
    "Acked-by: Mae Maint <mae@example.org>",
    "Reviewed-by: Wang Xiaoming <wxm@example.org>\n\n王小明",
    "No.",  # English's one-word replies stay read
    "Nope.",
    "Agreed.",
    "Um. That is not what the spec says, is it?",
    "Smith et al. said so.",
    "Please ask mae@example.com.",  # "com" after an address's full stop is no sentence of its own
    "NAK.",
    "LGTM, ACK.",
    "DO NOT APPLY THIS.",  # English in capitals
    "CE asserted.",  # a capital word of another language's spelling, in a sentence not shouted
    "Thanks!",  # English's short replies, by its vocabulary
    "LGTM.",
    "Ack.",
    "Looks good to me.",
    "Please drop this.",
    "Fine by me.",
    "Why?",
    "+1",
    "Sounds good, thanks.",
    "sc_retry()?",
    "Queued.",
    "Ack, Kirill.",  # a capitalised word after the first is a name
    "Hmm.",
    "Retested.",  # a frequent word with one of English's prefixes
    "Untested.",
    "Nah.",
    "Kai,\n\nLooks fine, but one nit below.",  # a name addressed, its own line
    "Dave, ping?",
    "SEAMCALLs.",  # a plural of capitals
    "Loaders.",  # a frequent word with an English suffix
    # A hunk's context lines and a shell command are code, no prose: " endif" read as a sentence of one word.
    "Like this:\n\n@@ -1,3 +1,4 @@\n source \"drivers/virt/coco/guest/Kconfig\"\n endif\n+config FOO\n+\tbool\n"
    "\nThoughts?",
    "# modprobe tdx-host",
    # Kernel review's jargon and the names of code a short reply writes bare were words not English's, and blocked: a
    # term of two English words ("Selftests", "Checkpatch", "Userspace"), a name the reply writes as code elsewhere or
    # in backticks or camel case, a kernel interface's or review's word (harness/data/english-words.txt).
    "Selftests pass.",
    "Checkpatch complains.",
    "Userspace?",
    "Use `kvzalloc`.",
    "kvzalloc() zeroes it. Use kvzalloc.",
    "Use tdxCall.",
    "Wrong errno.",
    "Refcount leak.",
    "Sgtm.",
    "Needs a memcpy.",
    "(un)likely() has two uses.",  # a prefix in parentheses is the word's after it, no word of its own ('un')
    # A reviewer's verbs and nouns of a change asked, not read before (harness/data/english-words.txt): "cap" was
    # Catalan's commonest word alone, so "Please cap the retries." blocked as not read, not as the point it makes.
    "Please cap the retries.",
    "Please initialize it.",
    "Annotate it.",
    "Please negate it.",
    "Use a bitmask.",
    "The retval is spurious.",
    "Make it a nop.",
    # Code review's verbs and nouns wordfreq ranks below its threshold: "Indent this." and "Please parenthesize
    # __ret." were refused as another language's words (tools/make_english_words.py's KERNEL).
    "Indent this.",
    "Please parenthesize __ret.",
    "Please serialize this.",
    "Please stringify it.",
    "Truncate it.",
    "Decrement it first.",
    "Missing newline.",
    "Prepend it.",
    # A verdict's and a build report's words of code review (round 64): "Superfluous." and "Breaks allmodconfig."
    # blocked as not read, not as the point and the regression they are.
    "Superfluous.",
    "Extraneous include.",
    "Breaks allmodconfig.",
    "Breaks bisection.",
    "Fails with clang.",
    "smatch complains.",
    "Found by coccinelle.",
    # A concern's verb (harness.concernwords reads "regressed"): "Readability regressed here." blocked as not read,
    # not as the review point it is (h656, round 65).
    "Readability regressed here.",
    # A list copied, and a name of C code that is another language's commonest word (Slovak's "len"): each blocked as
    # not read (round 68, h684).
    "Cc'd netdev for visibility.", "Looks like this can't underflow since len is checked above. Good.",
    "Cc'ed the DT folks.", "Frees the skb twice.", "Whoa, nice speedup.", "Ehm, never mind.",
]


@pytest.mark.parametrize("words", FOREIGN)
def test_words_in_another_language_are_not_read(words: str) -> None:
    found = unread_language(words)
    assert found is not None and found[0].startswith("written in a language seamharness does not read"), words
    assert found[1] in " ".join(words.split()), found


@pytest.mark.parametrize("words", READ)
def test_english_a_name_or_a_word_of_thanks_in_another_script_is_read(words: str) -> None:
    assert unread_language(words) is None, (words, unread_language(words))


def _gate(tmp: Path, mbox: Path, rules: str = RULE) -> tuple[int, dict[str, object]]:
    (tmp / "rules.toml").write_text(rules)
    r = runner.invoke(app, ["gate", str(mbox), "--variant", "v2", "--rules", str(tmp / "rules.toml"), "--json",
                            str(tmp / "g.json")])
    return r.exit_code, json.loads((tmp / "g.json").read_text())


@pytest.mark.parametrize("words", [FOREIGN[0], FOREIGN[2], FOREIGN[3], FOREIGN[4]])
def test_a_reply_in_another_language_blocks_the_gate_as_not_read(tmp_path: Path, words: str) -> None:
    # Before: READY, exit 0, and no word of the reply anywhere: its "do not merge" passed unread.
    mbox = _replies(tmp_path, ("f1@example.org", f"> quoted\n\n{words}\n", MAE, "patch"))
    status, doc = _gate(tmp_path, mbox)
    assert status == 1 and str(doc["verdict"]).startswith("v2: NOT READY: 1 input not read"), doc["verdict"]
    [o] = doc["objections"]  # type: ignore[misc]
    assert o["kind"] == "unread" and o["msgid"] == "f1@example.org" and o["author"] == "Mae Maint", o
    assert "written in a language seamharness does not read" in o["sentence"], o
    assert o["where"].endswith(":" + str(o["where"]).rsplit(":", 1)[1]) and o["where"] != "", o


def test_a_one_word_reply_in_another_language_blocks_until_the_user_reads_it(tmp_path: Path) -> None:
    # Before: READY, exit 0: "Nein." was too short to be told from English, and read as saying nothing.
    mbox = _replies(tmp_path, ("f1@example.org", "> quoted\n\nNein.\n\nMae\n", MAE, "patch"))
    status, doc = _gate(tmp_path, mbox)
    [o] = doc["objections"]  # type: ignore[misc]
    assert status == 1 and o["kind"] == "unread" and "its one word, Nein, is not English's" in o["sentence"], o
    assert str(o["where"]).endswith(":" + str(_line_of(mbox, "Nein."))), o
    status, doc = _gate(tmp_path, mbox, RULE + '[[read]]\nmsgid = "f1@example.org"\nsaid = "no"\n')
    assert status == 0 and not doc["objections"] and 'says it said "no"' in str(doc["lifted_objections"]), doc


def _line_of(path: Path, line: str) -> int:
    return path.read_text().splitlines().index(line) + 1


def test_a_nak_written_beside_words_not_read_is_a_nak(tmp_path: Path) -> None:
    mbox = _replies(tmp_path, ("f1@example.org", "> quoted\n\nNAK. 这个循环不会结束，重试逻辑是错的。\n", MAE, "patch"))
    _, doc = _gate(tmp_path, mbox)
    assert [o["kind"] for o in doc["objections"]] == ["nak"], doc["objections"]  # type: ignore[union-attr]


@pytest.mark.parametrize("words", [
    "> 请不要合并这个补丁，重试逻辑是错的。\n\nI disagree with the above, the retry is fine. Looks good to me.",
    "Looks good to me, thanks! 谢谢",
    "Looks good to me.\n\nThanks,\nИван Петров",
])
def test_a_quoted_passage_thanks_or_a_name_in_another_script_pass(tmp_path: Path, words: str) -> None:
    mbox = _replies(tmp_path, ("f1@example.org", f"> quoted\n\n{words}\n", MAE, "patch"))
    status, doc = _gate(tmp_path, mbox)
    assert status == 0 and not doc["objections"], doc["objections"]


@pytest.mark.parametrize(("words", "named"), [("Jamais.", "Jamais"), ("No, grazie.", "grazie"), ("Hayır.", "Hayır")])
def test_a_short_reply_of_words_not_englishs_blocks_until_the_user_reads_it(tmp_path: Path, words: str,
                                                                             named: str) -> None:
    # Before: READY, exit 0: no list of other languages' words held them, and the reply read as saying nothing.
    mbox = _replies(tmp_path, ("f1@example.org", f"> quoted\n\n{words}\n\nMae\n", MAE, "patch"))
    status, doc = _gate(tmp_path, mbox)
    [o] = doc["objections"]  # type: ignore[misc]
    assert status == 1 and o["kind"] == "unread" and named in o["sentence"] and "not English's" in o["sentence"], o
    assert o["sentence"].startswith("its words cannot be read: written in a language seamharness does not read"), o
    assert str(o["where"]).endswith(":" + str(_line_of(mbox, words))), o
    status, doc = _gate(tmp_path, mbox, RULE + '[[read]]\nmsgid = "f1@example.org"\nsaid = "no"\n')
    assert status == 0 and not doc["objections"], doc


# ("Wrong errno." was one until round 63: it names a defect, a review point: tests/harness/test_defectwords.py.)
@pytest.mark.parametrize("words", ["Thanks!", "Ack.", "Fine by me.", "+1", "Sgtm.", "Selftests pass."])
def test_a_short_english_reply_passes(tmp_path: Path, words: str) -> None:
    mbox = _replies(tmp_path, ("f1@example.org", f"> quoted\n\n{words}\n\nMae\n", MAE, "patch"))
    status, doc = _gate(tmp_path, mbox)
    assert status == 0 and not doc["objections"], doc["objections"]


@pytest.mark.parametrize(("words", "kind"), [("No.", "drop"), ("sc_retry()?", "point"), ("Superfluous.", "point"),
                                             ("Breaks allmodconfig.", "regression")])
def test_a_bare_no_or_question_below_the_patchs_words_is_read_as_english(tmp_path: Path, words: str, kind: str
                                                                         ) -> None:
    # Read, not unread: a refusal of the patch it quotes (harness.unnameddrop), a question its author must answer
    # (harness.questionwords); each passed the gate before. A verdict and a build failure in words of code review
    # (harness.verdictwords, harness.regressions) blocked as not read until round 64.
    mbox = _replies(tmp_path, ("f1@example.org", f"> quoted\n\n{words}\n\nMae\n", MAE, "patch"))
    status, doc = _gate(tmp_path, mbox)
    assert status == 1 and [(o["kind"], o["sentence"]) for o in doc["objections"]] == [(kind, words)], doc


GERMAN = "Habe es auf zwei Maschinen getestet, funktioniert einwandfrei."


def _git_trailers(words: str) -> list[str]:
    """What git interpret-trailers --parse reads as the trailers of a reply's own words (the oracle)."""
    import subprocess

    out = subprocess.run(["git", "interpret-trailers", "--parse"], input=words, capture_output=True, text=True,
                         check=True)
    return out.stdout.splitlines()


def test_a_reply_not_read_with_its_senders_clear_trailers_does_not_block(tmp_path: Path) -> None:
    # Before: NOT READY, exit 1, "1 input not read": the trailer, which reads in any language, was not read either.
    words = f"{GERMAN}\n\nTested-by: {MAE}\n"
    assert _git_trailers(words) == [f"Tested-by: {MAE}"]
    mbox = _replies(tmp_path, ("f1@example.org", f"> quoted\n\n{words}", MAE, "patch"))
    status, doc = _gate(tmp_path, mbox)
    assert status == 0 and not doc["objections"] and str(doc["verdict"]).startswith("v2: READY"), doc
    [line] = doc["lifted_objections"]  # type: ignore[misc]
    # What could not be read is said, and which trailers were read.
    assert "its words cannot be read: written in a language seamharness does not read" in line, line
    assert f"its trailers read, in any language: Tested-by: {MAE}; what its other words say was not read" in line


def test_the_gate_heads_a_reply_kept_from_blocking_by_its_trailers_as_such(tmp_path: Path) -> None:
    # Before: '1 objection lifted by its own sender since, or reply read by the user: not blocking' over it, though
    # nobody lifted or read it: its sender's own Tested-by did.
    mbox = _replies(tmp_path, ("f1@example.org", f"> quoted\n\n{GERMAN}\n\nTested-by: {MAE}\n", MAE, "patch"))
    (tmp_path / "rules.toml").write_text(RULE)
    r = runner.invoke(app, ["gate", str(mbox), "--variant", "v2", "--rules", str(tmp_path / "rules.toml")])
    said = " ".join(r.stdout.split())
    assert r.exit_code == 0, r.stdout
    assert "1 unreadable reply whose sender's own review trailers were read: not blocking - unreadable reply" in said
    assert "lifted" not in said and "read by the user" not in said, said


@pytest.mark.parametrize("words", [
    f"{GERMAN}\n\nTested-by: {OLGA}\n",  # another's trailer: not the sender's word
    f"{GERMAN}\n\nTested-by: {MAE}\nNacked-by: {MAE}\n",  # a NAK trailer beside it
    f"{GERMAN}\n\nCc: {OLGA}\n",  # no review trailer
    f"Ich ziehe mein NAK zurück.\n\nTested-by: {MAE}\n",  # its words hold a NAK not read
])
def test_trailers_that_are_not_clear_leave_a_reply_not_read_blocking(tmp_path: Path, words: str) -> None:
    mbox = _replies(tmp_path, ("f1@example.org", f"> quoted\n\n{words}", MAE, "patch"))
    status, doc = _gate(tmp_path, mbox)
    assert status == 1 and doc["objections"] and not doc["lifted_objections"], doc


def test_a_concern_said_with_regressed_is_read_as_one() -> None:
    from harness.concernwords import concern_stated
    assert unread_language("Readability regressed here.") is None and concern_stated("Readability regressed here.")


# A word quoted alone is cited, no word of the sender's language: the typo a reviewer names ('("teh")', "'recieve'"),
# and the words of kernel review wordfreq ranks as another language's ("todo", Spanish's; "op", Dutch's) or below its
# threshold ("ifdefs"): each reply blocked as not read (round 70).
@pytest.mark.parametrize("words", [
    "Nit in the changelog (\"teh\") but not worth a respin, I'll fix it up when applying.",
    "Small typo in the subject: 'recieve', I'll fix it when applying.", "Typo in the comment: `teh`.",
    "This was on my todo list as well, glad to cross it off.", "It has been on my TODO list for ages.",
    "I see why Dan suggested an extra barrier, but it's not required here: the atomic op already implies one.",
    "Lovely, no more ifdefs.", "Nice, less ifdeffery.", "The naming could be bikeshedded forever, let's not.",
    "KCSAN should be happy now.",
])
def test_a_word_quoted_alone_or_of_kernel_review_is_read_as_english(words: str) -> None:
    assert unread_language(words) is None, (words, unread_language(words))


@pytest.mark.parametrize("words", [
    "Das ist \"falsch\", bitte nicht anwenden.", "\"Nein\".", "Todo esta bien, aplicado.",
    "Ik heb het op mijn lijst gezet.",
    "Nicht \"teh\", sondern \"the\".",
])
def test_a_quoted_word_leaves_the_words_around_it_judged(words: str) -> None:
    assert unread_language(words) is not None, words


# A command written with its options ("fstests -g auto"): its name is code, no language's word; and the names of
# kernel tools, test suites and interfaces reviewers write bare in lower case ("Please use git send-email.", "Use
# xarray instead."): each reply blocked as not read (round 70's blind list).
@pytest.mark.parametrize("words", [
    "fstests -g auto passes.", "Boot-tested, no issues.\n\nblktests -q runs clean.", "Please use git send-email.",
    "Use xarray.", "Found by syzkaller.", "Works in qemu.", "Use a workqueue.", "The vma is stable.",
])
def test_a_command_with_its_options_or_a_kernel_tool_s_name_is_read_as_english(words: str) -> None:
    assert unread_language(words) is None, (words, unread_language(words))


@pytest.mark.parametrize("words", [
    "Bitte nicht -g verwenden, das ist falsch.", "Deze git patch is fout, niet mergen.",
    "Buradan git, bu yama yanlis.", "Por favor no uses xarray aqui, es incorrecto.",
])
def test_a_command_or_tool_name_leaves_the_other_words_judged(words: str) -> None:
    assert unread_language(words) is not None, words
