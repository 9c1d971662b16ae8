"""cocotb test of the 4-bit counter: two full wraps, enable gaps, resets mid-count."""

import random

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import FallingEdge, ReadOnly, RisingEdge


def read(sig):
    """The signal as an int, or its bit string when it holds X or Z."""
    v = sig.value
    return int(v) if v.is_resolvable else str(v)


@cocotb.test()
async def test_counter(dut):
    Clock(dut.clk, 10, unit="ns").start()
    stim = [(1, 0)] * 2 + [(0, 1)] * 34 + [(0, 0)] * 3 + [(0, 1)] * 5 + [(1, 1)] + [(0, 1)] * 3
    stim += [(int(random.random() < 0.03), int(random.random() < 0.7)) for _ in range(250)]
    q = None
    for cyc, (rst, en) in enumerate(stim):
        await FallingEdge(dut.clk)
        dut.rst.value, dut.en.value = rst, en
        await RisingEdge(dut.clk)
        await ReadOnly()
        q = 0 if rst else ((q + 1) % 16 if en else q)
        got = read(dut.q)
        assert got == q, f"cycle {cyc}: rst={rst} en={en}: expected q={q}, got {got}"
