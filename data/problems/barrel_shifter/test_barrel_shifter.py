"""cocotb test of the barrel rotator: every amount and direction on corner words, then random words."""

import random

import cocotb
from cocotb.triggers import Timer


def read(sig):
    """The signal as an int, or its bit string when it holds X or Z."""
    v = sig.value
    return int(v) if v.is_resolvable else str(v)


def rotate(x, n, right):
    n = (8 - n) % 8 if right else n
    return ((x << n) | (x >> (8 - n))) & 0xFF


@cocotb.test()
async def test_barrel_shifter(dut):
    words = [0x01, 0x80, 0x81, 0x0F, 0xF0, 0xA5, 0x00, 0xFF]
    cases = [(w, n, d) for w in words for n in range(8) for d in (0, 1)]
    cases += [(random.randrange(256), random.randrange(8), random.randrange(2)) for _ in range(300)]
    for k, (w, n, d) in enumerate(cases):
        dut.din.value, dut.amt.value, dut.dir.value = w, n, d
        await Timer(1, unit="ns")
        expected = rotate(w, n, d)
        got = read(dut.dout)
        assert got == expected, (f"case {k}: din={w:08b} amt={n} dir={d} ({'right' if d else 'left'}): "
                                 f"expected dout={expected:08b}, got {got if isinstance(got, str) else format(got, '08b')}")
