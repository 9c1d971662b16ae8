"""cocotb test of the LFSR: a full 255-state period, zero-seed guard, load/enable priority, resets mid-run."""

import random

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import FallingEdge, ReadOnly, RisingEdge


def read(sig):
    """The signal as an int, or its bit string when it holds X or Z."""
    v = sig.value
    return int(v) if v.is_resolvable else str(v)


def step(q):
    fb = ((q >> 7) ^ (q >> 5) ^ (q >> 4) ^ (q >> 3)) & 1
    return ((q << 1) | fb) & 0xFF


def stimulus():
    """(rst, en, load, seed) per cycle."""
    seq = [(1, 0, 0, 0)] * 2 + [(0, 1, 0, 0)] * 256                   # one full period plus one
    seq += [(0, 1, 1, 0x00)] + [(0, 1, 0, 0)] * 3                       # zero seed is replaced by 1
    seq += [(0, 1, 1, 0xB7), (0, 0, 0, 0), (0, 0, 1, 0x00), (0, 1, 0, 0), (0, 1, 1, 0xFF)]
    seq += [(1, 1, 1, 0x55)] + [(0, 1, 0, 0)] * 4
    for _ in range(200):
        r = random.random()
        seed = random.choice([0, random.randrange(256)])
        seq.append((int(r < 0.02), int(random.random() < 0.8), int(random.random() < 0.05), seed))
    return seq


@cocotb.test()
async def test_lfsr(dut):
    Clock(dut.clk, 10, unit="ns").start()
    q = None
    seen = set()
    for cyc, (rst, en, load, seed) in enumerate(stimulus()):
        await FallingEdge(dut.clk)
        dut.rst.value, dut.en.value, dut.load.value, dut.seed.value = rst, en, load, seed
        await RisingEdge(dut.clk)
        await ReadOnly()
        if rst:
            q = 1
        elif load:
            q = seed or 1
        elif en:
            q = step(q)
        got = read(dut.q)
        assert got == q, (f"cycle {cyc}: rst={rst} en={en} load={load} seed={seed:#04x}: "
                          f"expected q={q:#04x}, got {got if isinstance(got, str) else hex(got)}")
        if cyc < 258:
            seen.add(got)
    assert len(seen) == 255 and 0 not in seen, f"first period visited {len(seen)} states, expected 255 non-zero"
