"""cocotb test of the 8-bit adder: carry-chain and sign-boundary corners, then random operands."""

import random

import cocotb
from cocotb.triggers import Timer


def read(sig):
    """The signal as an int, or its bit string when it holds X or Z."""
    v = sig.value
    return int(v) if v.is_resolvable else str(v)


def model(a, b, cin):
    total = a + b + cin
    s = total & 0xFF
    sa, sb, ss = a >> 7, b >> 7, s >> 7
    return s, total >> 8, int(sa == sb and ss != sa)


@cocotb.test()
async def test_adder_carry(dut):
    corners = [0x00, 0x01, 0x7F, 0x80, 0xFE, 0xFF, 0x55, 0xAA]
    cases = [(a, b, c) for a in corners for b in corners for c in (0, 1)]
    cases += [(random.randrange(256), random.randrange(256), random.randrange(2)) for _ in range(400)]
    for n, (a, b, cin) in enumerate(cases):
        dut.a.value, dut.b.value, dut.cin.value = a, b, cin
        await Timer(1, unit="ns")
        expected = model(a, b, cin)
        got = (read(dut.sum), read(dut.cout), read(dut.overflow))
        assert got == expected, (f"case {n}: a={a:#04x} b={b:#04x} cin={cin}: "
                                 f"expected (sum, cout, overflow)={expected}, got {got}")
