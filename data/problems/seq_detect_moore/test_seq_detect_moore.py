"""cocotb test of the Moore 1011 detector: overlapping patterns, near misses, resets mid-pattern, random bits."""

import random

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import FallingEdge, ReadOnly, RisingEdge, Timer

PATTERN = [1, 0, 1, 1]


def read(sig):
    """The signal as an int, or its bit string when it holds X or Z."""
    v = sig.value
    return int(v) if v.is_resolvable else str(v)


def stimulus():
    """(rst, din) per cycle."""
    seq = [(1, 0)] * 2
    for bits in ("1011011", "10111011", "1010110", "111011", "1001011", "10101011", "0000"):
        seq += [(0, int(b)) for b in bits]
    seq += [(0, 1), (0, 0), (0, 1), (1, 1), (0, 1), (0, 0), (0, 1), (0, 1)]   # reset just before the last bit
    for _ in range(400):
        seq.append((int(random.random() < 0.02), int(random.random() < 0.6)))
    return seq


@cocotb.test()
async def test_seq_detect_moore(dut):
    Clock(dut.clk, 10, unit="ns").start()
    hist = []
    match = None
    for cyc, (rst, din) in enumerate(stimulus()):
        await FallingEdge(dut.clk)
        dut.rst.value, dut.din.value = rst, din
        await Timer(1, unit="ns")
        if match is not None:      # Moore: changing din between edges must not change match
            got = read(dut.match)
            assert got == match, f"cycle {cyc}: din changed to {din} between edges: expected match={match}, got {got}"
        await RisingEdge(dut.clk)
        await ReadOnly()
        hist = [] if rst else (hist + [din])[-4:]
        match = int(hist == PATTERN)
        got = read(dut.match)
        assert got == match, f"cycle {cyc}: rst={rst} din={din} last bits={hist}: expected match={match}, got {got}"
