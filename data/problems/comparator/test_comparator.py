"""cocotb test of the signed/unsigned comparator: sign-boundary corners, equal values and random pairs."""

import random

import cocotb
from cocotb.triggers import Timer


def read(sig):
    """The signal as an int, or its bit string when it holds X or Z."""
    v = sig.value
    return int(v) if v.is_resolvable else str(v)


def as_signed(x):
    return x - 256 if x & 0x80 else x


@cocotb.test()
async def test_comparator(dut):
    corners = [0x00, 0x01, 0x7F, 0x80, 0x81, 0xFE, 0xFF]
    pairs = [(a, b) for a in corners for b in corners]
    pairs += [(x, x) for x in (random.randrange(256) for _ in range(20))]
    pairs += [(random.randrange(256), random.randrange(256)) for _ in range(300)]
    for n, (a, b) in enumerate(pairs):
        for sgn in (0, 1):
            dut.a.value, dut.b.value, dut.is_signed.value = a, b, sgn
            await Timer(1, unit="ns")
            x, y = (as_signed(a), as_signed(b)) if sgn else (a, b)
            expected = (int(x < y), int(x == y), int(x > y))
            got = (read(dut.lt), read(dut.eq), read(dut.gt))
            assert got == expected, (f"pair {n}: a={a:#04x} b={b:#04x} is_signed={sgn}: "
                                     f"expected (lt, eq, gt)={expected}, got {got}")
