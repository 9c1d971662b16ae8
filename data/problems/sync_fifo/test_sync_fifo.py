"""cocotb test of the synchronous FIFO: fill to full, overfill, drain past empty, simultaneous read/write at
both boundaries, random traffic at several fill levels, reset with data inside."""

import random
from collections import deque

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import FallingEdge, ReadOnly, RisingEdge

DEPTH = 8


def read(sig):
    """The signal as an int, or its bit string when it holds X or Z."""
    v = sig.value
    return int(v) if v.is_resolvable else str(v)


def stimulus():
    """(rst, wr_en, rd_en) per cycle; data is random."""
    seq = [(1, 0, 0)] * 2
    seq += [(0, 1, 0)] * (DEPTH + 3)              # fill, then writes while full are ignored
    seq += [(0, 1, 1)] * 3                         # full: read and write together -> read only
    seq += [(0, 0, 1)] * (DEPTH + 3)              # drain, then reads while empty are ignored
    seq += [(0, 1, 1)] * 3                         # empty: read and write together -> write only
    seq += [(0, 1, 0)] * 4 + [(1, 1, 1)] + [(0, 0, 1)] * 2    # reset with data inside
    for p_wr, p_rd in ((0.8, 0.3), (0.5, 0.5), (0.3, 0.8), (0.9, 0.9), (0.6, 0.4)):
        for _ in range(80):
            seq.append((int(random.random() < 0.005), int(random.random() < p_wr), int(random.random() < p_rd)))
    return seq


@cocotb.test()
async def test_sync_fifo(dut):
    Clock(dut.clk, 10, unit="ns").start()
    q = deque()
    for cyc, (rst, wr, rd) in enumerate(stimulus()):
        din = random.randrange(256)
        await FallingEdge(dut.clk)
        dut.rst.value, dut.wr_en.value, dut.rd_en.value, dut.din.value = rst, wr, rd, din
        await RisingEdge(dut.clk)
        await ReadOnly()
        if rst:
            q.clear()
        else:
            do_rd, do_wr = rd and q, wr and len(q) < DEPTH
            if do_rd:
                q.popleft()
            if do_wr:
                q.append(din)
        ctx = f"cycle {cyc}: rst={rst} wr_en={wr} rd_en={rd} din={din:#04x}"
        got = (read(dut.count), read(dut.empty), read(dut.full))
        expected = (len(q), int(not q), int(len(q) == DEPTH))
        assert got == expected, f"{ctx}: expected (count, empty, full)={expected}, got {got}"
        if q:
            got = read(dut.dout)
            assert got == q[0], f"{ctx}: expected dout={q[0]:#04x} (oldest of {len(q)} words), got {got}"
