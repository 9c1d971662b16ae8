"""cocotb test of the up/down counter: wrap-around both ways, load vs enable priority, resets mid-run."""

import random

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import FallingEdge, ReadOnly, RisingEdge


def read(sig):
    """The signal as an int, or its bit string when it holds X or Z."""
    v = sig.value
    return int(v) if v.is_resolvable else str(v)


def stimulus():
    """(rst, en, load, up, d) per cycle: directed wrap and priority checks, then random traffic."""
    seq = [(1, 0, 0, 0, 0)] * 2
    seq += [(0, 1, 0, 0, 0)] * 3                       # 0 -> 255 -> 254 -> 253 (down-wrap)
    seq += [(0, 0, 1, 0, 0xFE)] + [(0, 1, 0, 1, 0)] * 3  # load 254, then up: 255, 0, 1 (up-wrap)
    seq += [(0, 0, 1, 1, 0x42)]                        # load without enable
    seq += [(0, 1, 1, 1, 0x10)]                        # load beats enable
    seq += [(0, 0, 0, 1, 0x99)] * 2                    # hold
    seq += [(1, 1, 1, 1, 0x77)]                        # reset beats load and enable
    for _ in range(400):
        seq.append((int(random.random() < 0.03), int(random.random() < 0.7), int(random.random() < 0.1),
                    random.randrange(2), random.randrange(256)))
    return seq


@cocotb.test()
async def test_updown_counter(dut):
    Clock(dut.clk, 10, unit="ns").start()
    q = None
    for cyc, (rst, en, load, up, d) in enumerate(stimulus()):
        await FallingEdge(dut.clk)
        dut.rst.value, dut.en.value, dut.load.value, dut.up.value, dut.d.value = rst, en, load, up, d
        await RisingEdge(dut.clk)
        await ReadOnly()
        if rst:
            q = 0
        elif load:
            q = d
        elif en:
            q = (q + (1 if up else -1)) & 0xFF
        got = read(dut.q)
        assert got == q, (f"cycle {cyc}: rst={rst} en={en} load={load} up={up} d={d:#04x}: "
                          f"expected q={q}, got {got}")
