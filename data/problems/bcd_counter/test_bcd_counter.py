"""cocotb test of the BCD counter: a full 00..99..00 lap with gaps, carry timing, resets mid-run."""

import random

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import FallingEdge, ReadOnly, RisingEdge, Timer


def read(sig):
    """The signal as an int, or its bit string when it holds X or Z."""
    v = sig.value
    return int(v) if v.is_resolvable else str(v)


@cocotb.test()
async def test_bcd_counter(dut):
    Clock(dut.clk, 10, unit="ns").start()
    stim = [(1, 0)] * 2 + [(0, 1)] * 105
    stim += [(int(random.random() < 0.01), int(random.random() < 0.8)) for _ in range(250)]
    stim += [(1, 0)] + [(0, 1)] * 120
    value = None
    for cyc, (rst, en) in enumerate(stim):
        await FallingEdge(dut.clk)
        dut.rst.value, dut.en.value = rst, en
        await Timer(1, unit="ns")
        if value is not None:
            exp_carry = int(value == 99 and en == 1)
            got = read(dut.carry)
            assert got == exp_carry, f"cycle {cyc}: value={value:02d} en={en}: expected carry={exp_carry}, got {got}"
        await RisingEdge(dut.clk)
        await ReadOnly()
        if rst:
            value = 0
        elif en:
            value = (value + 1) % 100
        got = (read(dut.tens), read(dut.ones))
        assert got == (value // 10, value % 10), (f"cycle {cyc}: rst={rst} en={en}: expected (tens, ones)="
                                                  f"{(value // 10, value % 10)}, got {got}")
