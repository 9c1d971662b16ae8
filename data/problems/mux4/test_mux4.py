"""cocotb test of the 4-to-1 multiplexer: every select with random and corner data, enable on and off."""

import random

import cocotb
from cocotb.triggers import Timer


def read(sig):
    """The signal as an int, or its bit string when it holds X or Z."""
    v = sig.value
    return int(v) if v.is_resolvable else str(v)


@cocotb.test()
async def test_mux4(dut):
    corners = [0x00, 0xFF, 0x55, 0xAA, 0x01, 0x80]
    cases = []
    for sel in range(4):
        for en in (0, 1):
            for c in corners:
                data = [random.randrange(256) for _ in range(4)]
                data[sel] = c
                cases.append((data, sel, en))
    for _ in range(300):
        cases.append(([random.randrange(256) for _ in range(4)], random.randrange(4), random.randrange(2)))
    for n, (data, sel, en) in enumerate(cases):
        dut.d0.value, dut.d1.value, dut.d2.value, dut.d3.value = data
        dut.sel.value = sel
        dut.en.value = en
        await Timer(1, unit="ns")
        expected = data[sel] if en else 0
        got = read(dut.y)
        assert got == expected, (f"case {n}: d={[hex(x) for x in data]} sel={sel} en={en}: "
                                 f"expected y={expected:#x}, got {got}")
