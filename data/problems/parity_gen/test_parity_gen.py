"""cocotb test of the parity generator: single-bit words (every position), corners and random words."""

import random

import cocotb
from cocotb.triggers import Timer


def read(sig):
    """The signal as an int, or its bit string when it holds X or Z."""
    v = sig.value
    return int(v) if v.is_resolvable else str(v)


@cocotb.test()
async def test_parity_gen(dut):
    words = [0x0000, 0xFFFF, 0x8000, 0x0001, 0x7FFF, 0xFFFE, 0xAAAA, 0x5555, 0x0007]
    words += [1 << i for i in range(16)] + [0xFFFF ^ (1 << i) for i in range(16)]
    words += [random.randrange(1 << 16) for _ in range(300)]
    for n, data in enumerate(words):
        for odd in (0, 1):
            dut.data.value = data
            dut.odd.value = odd
            await Timer(1, unit="ns")
            expected = (bin(data).count("1") + odd) % 2
            got = read(dut.parity)
            assert got == expected, f"word {n}: data={data:#06x} odd={odd}: expected parity={expected}, got {got}"
