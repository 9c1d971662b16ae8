"""cocotb test of the 3-to-8 decoder: all 16 input combinations, visited in several orders."""

import random

import cocotb
from cocotb.triggers import Timer


def read(sig):
    """The signal as an int, or its bit string when it holds X or Z."""
    v = sig.value
    return int(v) if v.is_resolvable else str(v)


@cocotb.test()
async def test_decoder3to8(dut):
    combos = [(a, en) for en in (0, 1) for a in range(8)]
    order = combos + list(reversed(combos)) + [random.choice(combos) for _ in range(64)]
    for n, (a, en) in enumerate(order):
        dut.a.value = a
        dut.en.value = en
        await Timer(1, unit="ns")
        expected = (1 << a) if en else 0
        got = read(dut.y)
        assert got == expected, f"step {n}: a={a} en={en}: expected y={expected:08b}, got {got if isinstance(got, str) else format(got, '08b')}"
