"""cocotb test of the edge detector: single-cycle glitches, long levels, resets with the input high and low."""

import random

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import FallingEdge, ReadOnly, RisingEdge


def read(sig):
    """The signal as an int, or its bit string when it holds X or Z."""
    v = sig.value
    return int(v) if v.is_resolvable else str(v)


def stimulus():
    """(rst, sig) per cycle."""
    seq = [(1, 0)] * 2 + [(0, 0)] * 3 + [(0, 1)] * 4 + [(0, 0)] * 4 + [(0, 1), (0, 0), (0, 1), (0, 0)]
    seq += [(0, 1)] * 3 + [(1, 1)] + [(0, 1)] * 3          # reset while high: rise again after reset
    seq += [(1, 0)] + [(0, 0)] * 3                          # reset while low: no pulse
    seq += [(0, 1)] * 2 + [(1, 0)] + [(0, 0)] * 2           # reset hides the falling edge
    level = 0
    for _ in range(400):
        if random.random() < 0.3:
            level ^= 1
        seq.append((int(random.random() < 0.02), level))
    return seq


@cocotb.test()
async def test_edge_detect(dut):
    Clock(dut.clk, 10, unit="ns").start()
    prev = rise = fall = None
    for cyc, (rst, s) in enumerate(stimulus()):
        await FallingEdge(dut.clk)
        dut.rst.value, dut.sig.value = rst, s
        await RisingEdge(dut.clk)
        await ReadOnly()
        if rst:
            prev, rise, fall = 0, 0, 0
        else:
            rise, fall, prev = int(s == 1 and prev == 0), int(s == 0 and prev == 1), s
        got = (read(dut.rise), read(dut.fall))
        assert got == (rise, fall), f"cycle {cyc}: rst={rst} sig={s}: expected (rise, fall)={(rise, fall)}, got {got}"
