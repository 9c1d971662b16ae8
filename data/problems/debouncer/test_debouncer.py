"""cocotb test of the debouncer: glitches just shorter than the threshold, exact-threshold changes, bounces."""

import random

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import FallingEdge, ReadOnly, RisingEdge

STABLE = 4


def read(sig):
    """The signal as an int, or its bit string when it holds X or Z."""
    v = sig.value
    return int(v) if v.is_resolvable else str(v)


def stimulus():
    """(rst, noisy) per cycle."""
    seq = [(1, 0)] * 2
    seq += ([(0, 1)] * (STABLE - 1) + [(0, 0)]) * 4           # repeated short glitches: never accepted
    seq += [(0, 1)] * STABLE + [(0, 1)] * 3                   # exactly long enough
    seq += ([(0, 0)] * (STABLE - 1) + [(0, 1)]) * 3 + [(0, 0)] * (STABLE + 2)
    seq += [(0, 1)] * 2 + [(1, 1)] + [(0, 1)] * (STABLE + 1)  # reset during a change
    level = 0
    for _ in range(300):                                      # bouncing: runs of random length
        if random.random() < 0.35:
            level ^= 1
        seq.append((int(random.random() < 0.01), level))
    return seq


@cocotb.test()
async def test_debouncer(dut):
    Clock(dut.clk, 10, unit="ns").start()
    clean = count = None
    for cyc, (rst, noisy) in enumerate(stimulus()):
        await FallingEdge(dut.clk)
        dut.rst.value, dut.noisy.value = rst, noisy
        await RisingEdge(dut.clk)
        await ReadOnly()
        if rst:
            clean, count = 0, 0
        elif noisy == clean:
            count = 0
        elif count == STABLE - 1:
            clean, count = noisy, 0
        else:
            count += 1
        got = read(dut.clean)
        assert got == clean, (f"cycle {cyc}: rst={rst} noisy={noisy} (disagreeing edges so far {count}): "
                              f"expected clean={clean}, got {got}")
