"""cocotb test of the round-robin arbiter: full contention, single requesters, idle cycles, fairness, resets."""

import random

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import FallingEdge, ReadOnly, RisingEdge


def read(sig):
    """The signal as an int, or its bit string when it holds X or Z."""
    v = sig.value
    return int(v) if v.is_resolvable else str(v)


def stimulus():
    """(rst, req) per cycle."""
    seq = [(1, 0)] * 2 + [(0, 0b1111)] * 9            # rotation under full contention
    seq += [(0, 0b0100)] * 3 + [(0, 0b0101)] * 4       # a lone requester, then two alternating
    seq += [(0, 0)] * 2 + [(0, 0b1001)] * 4            # idle keeps the pointer; wrap 3 -> 0
    seq += [(0, 0b1111)] * 2 + [(1, 0b1111)] + [(0, 0b1111)] * 3   # reset restarts at requester 0
    for _ in range(400):
        seq.append((int(random.random() < 0.01), random.choice([0, 0b1111, random.randrange(16)])))
    return seq


@cocotb.test()
async def test_rr_arbiter(dut):
    Clock(dut.clk, 10, unit="ns").start()
    last, grant = 3, 0
    waiting = [0] * 4
    for cyc, (rst, req) in enumerate(stimulus()):
        await FallingEdge(dut.clk)
        dut.rst.value, dut.req.value = rst, req
        await RisingEdge(dut.clk)
        await ReadOnly()
        if rst:
            last, grant, waiting = 3, 0, [0] * 4
        else:
            grant = 0
            for k in range(1, 5):
                i = (last + k) % 4
                if (req >> i) & 1:
                    grant, last = 1 << i, i
                    break
            for i in range(4):
                waiting[i] = waiting[i] + 1 if (req >> i) & 1 and not (grant >> i) & 1 else 0
                assert waiting[i] <= 3, f"cycle {cyc}: model starved requester {i}"
        got = read(dut.grant)
        assert got == grant, (f"cycle {cyc}: rst={rst} req={req:04b} (last granted {last}): "
                              f"expected grant={grant:04b}, got {got if isinstance(got, str) else format(got, '04b')}")
