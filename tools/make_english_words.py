"""Writes the English and other-language word lists harness/language.py reads replies by.

harness/data/english-words.txt is the English vocabulary a reply is read by, harness/data/other-words.txt the other
languages' commonest words it takes for theirs.

Source: wordfreq 3.1 (https://github.com/rspeer/wordfreq, data CC BY-SA 4.0), its 'small' English list: every word of
Latin letters at least as frequent as Zipf 3.0 (about once in a million words), but a word thirty times (Zipf 1.5) more
frequent in another language wordfreq knows than in English, which English text holds by quoting or borrowing it
('non', 'si', 'ja', 'da', 'ne', 'nee', 'ei'). Then the words of kernel review wordfreq ranks lower (KERNEL).
Run: pip install 'wordfreq==3.1.1' && python tools/make_english_words.py (not a dependency of seamharness).
"""

from __future__ import annotations

import math
import sys
import unicodedata
from pathlib import Path

from wordfreq import available_languages, get_frequency_dict

OUT = Path(__file__).resolve().parent.parent / "harness" / "data" / "english-words.txt"
OTHERS = OUT.with_name("other-words.txt")
MIN_ZIPF = 3.0
MARGIN = 1.5
# Another language's commonest words (once in 3,000 words of it or more, some 160 a language: 'nicht', 'niet', 'pas',
# 'ikke'), in a sentence otherwise English's, show it is not ('I withdraw my NAK nicht'); harness/language.py.
OTHER_ZIPF = 5.5
# Words of patch review (kernel jargon, and the names of kernel and C interfaces reviewers write bare: 'Use kzalloc.',
# 'Wrong errno.', 'Refcount leak.', 'Sgtm.', a short reply of them, was not read; not those another language writes
# often, 'var', 'len', 'arg', 'errata'), the Latin abbreviations English citations and prose use ('Smith et al.',
# 'e.g.'), the verbs and nouns of code review ('Indent this.', 'Please serialize it.': read as another
# language's), its verdicts and build words ('Superfluous.', 'Breaks allmodconfig.', 'Fails with clang.'), and
# English's greetings and interjections, which the margin takes out ('hi', Catalan's too; 'um', Portuguese's 'a'), and
# the informal words of thanks and praise of British and other Englishes, which the margin or the threshold takes out
# ('ta', Swedish's and Polish's commonest too; 'innit'): "Brilliant, ta very much." blocked as another language's;
# "Lovely jubbly.", "Bonza, mate.", "Bit of a bodge, but fine." and the abbreviations of mail ('imho', 'afaict') too.
# No rule of shares tells "Smashing, ta." from "No, grazie." or "Brilliant, ta very much." from "Never mind, keep it
# nicht." (tests/harness/test_reply_language.py's FOREIGN): only the word being English's does. Then the flaw words
# harness.concernwords reads that wordfreq ranks lower: "This is racy." blocked as not read, not as the point it is.
# Then the lists and objects of mail a reviewer names, and who they copied: "Cc'd netdev for visibility." blocked as not
# read (round 68). Then the words of kernel review another language writes often or wordfreq ranks low: "This was on my
# todo list too.", "the atomic op", "no more ifdefs" blocked as not read (round 70); and the names of kernel tools,
# test suites and interfaces written bare in lower case: "Please use git send-email.", "Use xarray." (round 70).
KERNEL = """
ack acked nak naked nack nacked respun nit nits nitpick lgtm rfc resend respin rebase rebased rebasing retry retries
retried queued requeue squash squashed acks nacks backport backported
bisect bisected refactor refactored refactoring typo typos sob changelog signoff bikeshed
bikeshedding dereference dereferenced deref unlikely inline inlined noinline kconfig config configs arch subsystem
maintainer maintainers reviewer reviewers upstream downstream mainline regressions regression regressed repro reproducer
repros splat splats oops oopses lockdep kasan ubsan kfree kmalloc init deinit teardown cleanup cleanups
et al etc vs ie eg cf nb via per pre sub
nacking sgtm errno rcu refcount refcounting memleak kmemleak memcpy memset memmove strcpy strlen kzalloc kcalloc
kvmalloc vmalloc kvfree vfree kstrdup cpumask sysfs debugfs procfs configfs ftrace kprobe percpu hotplug bugfix ioctl
mmap irq dmesg kexec nitpicky uninitialized initialization initializer mutex semaphore struct enum typedef getter setter
boolean bool uint ptr args param func printk endian endianness vmexit hypervisor
cap capped capping initialize initialise initialized initialised annotate annotated negate negated bitmask
bitmasks retval spurious nop noop
indent indented indenting indentation unindent reindent serialize serialized serializing serialization serialise
serialised parenthesize parenthesise parenthesized parenthesis stringify stringified prepend prepended inlining
uninline sanitize sanitized sanitise optimise optimised memoize dedupe deduplicate deduplicated increment incremented
decrement decremented bitfield bitfields tristate nonzero preempt preempted preemptible preemption kerneldoc truncate
truncated truncation sizeof callee callees idempotent newline newlines fixup fixups unroll unrolled
superfluous extraneous allmodconfig allyesconfig allnoconfig defconfig randconfig tinyconfig kbuild smatch coccinelle
coccicheck clang objtool modpost bisection bisectability kselftest kselftests kunit
hi hey hello
ta ty ya tad innit cheerio chuffed gobsmacked blimey cuppa lad lass
jubbly bonza bonzer arvo beaut spiffing dinkum strewth crikey goodo noice bodge bodged bodgy naff grotty wonky gubbins
faff kerfuffle knackered whinge suss sussed gnarly thanx fwiw imho afaict afaik iiuc iirc
racy hacky iffy terse spammy regresses uapi grep
netdev skb skbs cc'd cc'ed cc'ing ehm speedup speedups
um uh hmm hm erm huh ah oh ugh meh oops whoops heh nah grr urgh hah duh bah argh yep yup
todo todos op ifdef ifdefs ifdeffery bikeshedded kcsan
git xfstests fstests blktests ltp syzbot syzkaller rhashtable vmscan kvm lkml qemu ktest checkpatch bpf ebpf xarray
hrtimer workqueue kthread tasklet softirq hardirq memcg cgroup slub vma folios pagecache mmu tlb dma iommu acpi
""".split()


def main() -> int:
    # Each language's own table, not wordfreq's tokenizer (which for Chinese and Japanese wants more packages).
    zipfs = {lang: get_frequency_dict(lang, wordlist="small") for lang in available_languages(wordlist="small")}
    english = zipfs.pop("en")
    words = []
    for word, freq in english.items():
        zipf = math.log10(freq) + 9
        if zipf < MIN_ZIPF or not all("a" <= c <= "z" or c == "'" for c in word):
            continue
        if any(math.log10(table.get(word, 1e-12)) + 9 - zipf >= MARGIN for table in zipfs.values()):
            continue
        words.append(word)
    words = sorted(set(words) | set(KERNEL))
    OUT.write_text("".join(w + "\n" for w in words))
    print(f"{OUT}: {len(words)} words", file=sys.stderr)
    others = sorted(_others(zipfs, english) - set(words))
    OTHERS.write_text("".join(w + "\n" for w in others))
    print(f"{OTHERS}: {len(others)} words", file=sys.stderr)
    return 0


def _others(zipfs: dict[str, dict[str, float]], english: dict[str, float]) -> set[str]:
    """The commonest words of the other languages (Zipf OTHER_ZIPF or more) of Latin letters, MARGIN more frequent there
    than in English: as written and without their accents, as a writer without them types them ('zuruck')."""
    out = set()
    for table in zipfs.values():
        for word, freq in table.items():
            zipf = math.log10(freq) + 9
            if zipf < OTHER_ZIPF or not word.isalpha() or not all(_latin(c) for c in word):
                continue
            if zipf - (math.log10(english.get(word, 1e-12)) + 9) >= MARGIN:
                out |= {word, _unaccented(word)}
    return out


def _latin(ch: str) -> bool:
    return unicodedata.name(ch, "").startswith("LATIN")


def _unaccented(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


if __name__ == "__main__":
    sys.exit(main())
