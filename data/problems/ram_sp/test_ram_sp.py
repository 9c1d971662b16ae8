"""cocotb test of the single-port RAM: fill every word, read back, read-during-write, random traffic."""

import random

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import FallingEdge, ReadOnly, RisingEdge


def read(sig):
    """The signal as an int, or its bit string when it holds X or Z."""
    v = sig.value
    return int(v) if v.is_resolvable else str(v)


def stimulus():
    """(we, addr, din) per cycle."""
    seq = [(1, a, (a * 37 + 5) & 0xFF) for a in range(16)]            # fill every word
    seq += [(0, a, 0) for a in range(16)]                             # read all back
    seq += [(1, 7, 0xAA), (1, 7, 0x55), (0, 7, 0), (1, 0, 0xFF), (0, 15, 0), (0, 0, 0)]
    for _ in range(400):
        seq.append((int(random.random() < 0.4), random.randrange(16), random.randrange(256)))
    return seq


@cocotb.test()
async def test_ram_sp(dut):
    Clock(dut.clk, 10, unit="ns").start()
    mem = {}
    for cyc, (we, addr, din) in enumerate(stimulus()):
        await FallingEdge(dut.clk)
        dut.we.value, dut.addr.value, dut.din.value = we, addr, din
        await RisingEdge(dut.clk)
        await ReadOnly()
        expected = mem.get(addr)
        if we:
            mem[addr] = din
        if expected is None:
            continue                       # word never written: contents undefined
        got = read(dut.dout)
        assert got == expected, (f"cycle {cyc}: we={we} addr={addr} din={din:#04x}: "
                                 f"expected dout={expected:#04x} (contents before the edge), got {got}")
