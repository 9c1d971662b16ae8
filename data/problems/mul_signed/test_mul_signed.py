"""cocotb test of the signed/unsigned multiplier: sign corners, all mixed-sign combinations, random pairs."""

import random

import cocotb
from cocotb.triggers import Timer


def read(sig):
    """The signal as an int, or its bit string when it holds X or Z."""
    v = sig.value
    return int(v) if v.is_resolvable else str(v)


def signed(x):
    return x - 256 if x & 0x80 else x


@cocotb.test()
async def test_mul_signed(dut):
    corners = [0x00, 0x01, 0x02, 0x7F, 0x80, 0x81, 0xFE, 0xFF]
    cases = [(a, b) for a in corners for b in corners]
    cases += [(random.randrange(256), random.randrange(256)) for _ in range(400)]
    for n, (a, b) in enumerate(cases):
        for sgn in (0, 1):
            dut.a.value, dut.b.value, dut.is_signed.value = a, b, sgn
            await Timer(1, unit="ns")
            expected = ((signed(a) * signed(b)) if sgn else (a * b)) & 0xFFFF
            got = read(dut.p)
            assert got == expected, (f"case {n}: a={a:#04x} b={b:#04x} is_signed={sgn}: "
                                     f"expected p={expected:#06x}, got {got if isinstance(got, str) else hex(got)}")
