"""cocotb test of the serial-in byte receiver: bytes with enable gaps, bit order, valid pulses, reset mid-byte."""

import random

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import FallingEdge, ReadOnly, RisingEdge


def read(sig):
    """The signal as an int, or its bit string when it holds X or Z."""
    v = sig.value
    return int(v) if v.is_resolvable else str(v)


def stimulus():
    """(rst, en, sin) per cycle."""
    seq = [(1, 0, 0)] * 2
    for byte in (0x01, 0x80, 0xA5, 0x3C):          # asymmetric bytes expose bit-order bugs
        seq += [(0, 1, (byte >> (7 - i)) & 1) for i in range(8)]
    seq += [(0, 1, 1)] * 3 + [(1, 1, 1)]            # reset in the middle of a byte
    for _ in range(400):
        seq.append((int(random.random() < 0.01), int(random.random() < 0.7), random.randrange(2)))
    return seq


@cocotb.test()
async def test_sipo_shift(dut):
    Clock(dut.clk, 10, unit="ns").start()
    q = valid = bits = None
    for cyc, (rst, en, sin) in enumerate(stimulus()):
        await FallingEdge(dut.clk)
        dut.rst.value, dut.en.value, dut.sin.value = rst, en, sin
        await RisingEdge(dut.clk)
        await ReadOnly()
        if rst:
            q, valid, bits = 0, 0, 0
        else:
            valid = int(en == 1 and bits == 7)
            if en:
                q = ((q << 1) | sin) & 0xFF
                bits = (bits + 1) % 8
        got = (read(dut.q), read(dut.valid))
        assert got == (q, valid), (f"cycle {cyc}: rst={rst} en={en} sin={sin}: expected (q, valid)="
                                   f"({q:#04x}, {valid}), got {got}")
