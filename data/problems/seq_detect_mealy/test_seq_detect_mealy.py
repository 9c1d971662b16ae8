"""cocotb test of the Mealy 110 detector: runs of ones, output before the edge, asynchronous reset between edges."""

import random

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import FallingEdge, ReadOnly, RisingEdge, Timer


def read(sig):
    """The signal as an int, or its bit string when it holds X or Z."""
    v = sig.value
    return int(v) if v.is_resolvable else str(v)


def stimulus():
    """(async reset pulse before this cycle's check, din) per cycle."""
    seq = [(0, b) for b in (0, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 1, 1, 0, 0, 1, 0, 1, 1, 0, 1, 1)]
    seq += [(1, 0), (0, 1), (0, 1), (0, 0), (0, 1), (0, 1), (1, 0), (0, 0)]
    for _ in range(400):
        seq.append((int(random.random() < 0.03), int(random.random() < 0.6)))
    return seq


@cocotb.test()
async def test_seq_detect_mealy(dut):
    Clock(dut.clk, 10, unit="ns").start()
    dut.din.value = 0
    dut.rst_n.value = 0
    await Timer(3, unit="ns")
    dut.rst_n.value = 1
    hist = []
    for cyc, (areset, din) in enumerate(stimulus()):
        await FallingEdge(dut.clk)
        dut.din.value = din
        if areset:                     # pulse rst_n low between edges: takes effect at once
            dut.rst_n.value = 0
            await Timer(1, unit="ns")
            hist = []
            got = read(dut.match)
            assert got == 0, f"cycle {cyc}: during asynchronous reset with din={din}: expected match=0, got {got}"
            dut.rst_n.value = 1
        await Timer(1, unit="ns")
        expected = int(hist[-2:] == [1, 1] and din == 0)
        got = read(dut.match)
        assert got == expected, (f"cycle {cyc}: bits sampled so far end {hist[-3:]}, din={din}: "
                                 f"expected match={expected}, got {got}")
        await RisingEdge(dut.clk)
        await ReadOnly()
        hist = (hist + [din])[-3:]
