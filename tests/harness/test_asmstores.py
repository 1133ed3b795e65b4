"""What an asm statement may store to: output operands, and the symbols its template names (harness.asmstores)."""

from __future__ import annotations

import pytest

from harness.asmstores import asm_stores


def _names(text: str) -> list[str]:
    return [name for name, _, _ in asm_stores(text)]


def test_an_output_operand_is_a_store_and_an_input_none() -> None:
    text = 'asm volatile("" : "=m" (sc_a), "+r" (sc_b) : "r" (sc_c));'
    assert [(n, text[pos:pos + len(n)], how) for n, pos, how in asm_stores(text) if n.startswith("sc_")] == [
        ("sc_a", "sc_a", 'an asm output, "=m" (sc_a)'), ("sc_b", "sc_b", 'an asm output, "+r" (sc_b)')]


@pytest.mark.parametrize("head", ["asm", "__asm__", "__asm", "asm volatile", "__asm__ __volatile__", "asm goto",
                                  "asm inline"])
def test_a_symbol_the_template_names_is_a_store_whatever_the_head(head: str) -> None:
    text = f'{head}("movq %0, sc_busy_code(%%rip)" : : "r" (1ULL) : "memory");'
    found = [(n, pos, how) for n, pos, how in asm_stores(text) if n == "sc_busy_code"]
    assert found == [("sc_busy_code", text.index("sc_busy_code"),
                      'an asm statement\'s text names it ("movq %0, sc_busy_code(%%rip)")')]


def test_registers_and_operands_are_no_symbols_a_symbols_address_is_one() -> None:
    # '$sc_imm' is sc_imm's address: what the code does with it is not followed.
    names = _names('asm("movq $1, %%rax; addq %[sc_op], %1; jmp %l[sc_label]; movq $sc_imm, %%rbx" '
                   ': : [sc_op] "r" (x));')
    assert [n for n in names if n.startswith("sc_") or n in ("rax", "rbx")] == ["sc_imm"], names


def test_only_the_statements_strings_a_parenthesis_in_one_and_later_strings_aside() -> None:
    # ')' in the template closes nothing; the string after the statement is a printk's.
    text = 'asm("movq %0, (sc_busy_code)" : : "r" (f(1))); pr_info("sc_other");'
    assert "sc_busy_code" in _names(text) and "sc_other" not in _names(text)
    assert _names('pr_info("sc_busy_code");') == []
