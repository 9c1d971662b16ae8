"""cocotb test of the modulo-12 counter: several full wraps, enable gaps, tc timing, resets mid-run."""

import random

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import FallingEdge, ReadOnly, RisingEdge, Timer

N = 12


def read(sig):
    """The signal as an int, or its bit string when it holds X or Z."""
    v = sig.value
    return int(v) if v.is_resolvable else str(v)


@cocotb.test()
async def test_mod_n_counter(dut):
    Clock(dut.clk, 10, unit="ns").start()
    stim = [(1, 0)] * 2 + [(0, 1)] * (3 * N + 2)
    stim += [(int(random.random() < 0.02), int(random.random() < 0.75)) for _ in range(400)]
    stim += [(0, 1)] * 5 + [(1, 1)] + [(0, 1)] * (N + 3)
    count = None
    for cyc, (rst, en) in enumerate(stim):
        await FallingEdge(dut.clk)
        dut.rst.value, dut.en.value = rst, en
        await Timer(1, unit="ns")
        if count is not None:
            exp_tc = int(count == N - 1 and en == 1)
            got = read(dut.tc)
            assert got == exp_tc, f"cycle {cyc}: count={count} en={en}: expected tc={exp_tc}, got {got}"
        await RisingEdge(dut.clk)
        await ReadOnly()
        if rst:
            count = 0
        elif en:
            count = 0 if count == N - 1 else count + 1
        got = read(dut.count)
        assert got == count, f"cycle {cyc}: rst={rst} en={en}: expected count={count}, got {got}"
