"""cocotb test of the clock divider: many periods, tick position, resets at every phase of the output."""

import random

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import FallingEdge, ReadOnly, RisingEdge

HALF = 3


def read(sig):
    """The signal as an int, or its bit string when it holds X or Z."""
    v = sig.value
    return int(v) if v.is_resolvable else str(v)


@cocotb.test()
async def test_clock_divider(dut):
    Clock(dut.clk, 10, unit="ns").start()
    stim = [1] * 2 + [0] * (8 * HALF)
    for k in range(2 * HALF):                  # reset at every phase
        stim += [0] * k + [1] + [0] * (2 * HALF + 1)
    stim += [int(random.random() < 0.03) for _ in range(250)]
    out = count = None
    highs = 0
    for cyc, rst in enumerate(stim):
        await FallingEdge(dut.clk)
        dut.rst.value = rst
        await RisingEdge(dut.clk)
        await ReadOnly()
        if rst:
            out, count = 0, 0
        elif count == HALF - 1:
            out, count = out ^ 1, 0
        else:
            count += 1
        exp_tick = int(out == 1 and count == HALF - 1)
        got = (read(dut.clk_out), read(dut.tick))
        assert got == (out, exp_tick), (f"cycle {cyc}: rst={rst} (internal count {count}): "
                                        f"expected (clk_out, tick)={(out, exp_tick)}, got {got}")
        highs += out
    assert highs > 0
