"""cocotb test of the PISO shift register: whole bytes LSB first, empty timing, reloads and resets mid-byte."""

import random

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import FallingEdge, ReadOnly, RisingEdge


def read(sig):
    """The signal as an int, or its bit string when it holds X or Z."""
    v = sig.value
    return int(v) if v.is_resolvable else str(v)


def stimulus():
    """(rst, load, d) per cycle."""
    seq = [(1, 0, 0)] * 2
    for byte in (0x01, 0x80, 0xFF, 0x96):
        seq += [(0, 1, byte)] + [(0, 0, random.randrange(256)) for _ in range(9)]
    seq += [(0, 1, 0xF0)] + [(0, 0, 0)] * 3 + [(0, 1, 0x0F)] + [(0, 0, 0)] * 10   # reload mid-byte
    seq += [(0, 1, 0xFF)] + [(0, 0, 0)] * 2 + [(1, 0, 0)] + [(0, 0, 0)] * 3       # reset mid-byte
    for _ in range(350):
        seq.append((int(random.random() < 0.02), int(random.random() < 0.12), random.randrange(256)))
    return seq


@cocotb.test()
async def test_piso_shift(dut):
    Clock(dut.clk, 10, unit="ns").start()
    sr = left = None
    for cyc, (rst, load, d) in enumerate(stimulus()):
        await FallingEdge(dut.clk)
        dut.rst.value, dut.load.value, dut.d.value = rst, load, d
        await RisingEdge(dut.clk)
        await ReadOnly()
        if rst:
            sr, left = 0, 0
        elif load:
            sr, left = d, 8
        elif left:
            sr, left = sr >> 1, left - 1
        expected = ((sr & 1) if left else 0, int(left == 0))
        got = (read(dut.sout), read(dut.empty))
        assert got == expected, (f"cycle {cyc}: rst={rst} load={load} d={d:#04x} ({left} bits left): "
                                 f"expected (sout, empty)={expected}, got {got}")
