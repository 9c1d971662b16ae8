"""cocotb test of the dual-port RAM: independent ports, read enable hold, same-address write-through."""

import random

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import FallingEdge, ReadOnly, RisingEdge


def read(sig):
    """The signal as an int, or its bit string when it holds X or Z."""
    v = sig.value
    return int(v) if v.is_resolvable else str(v)


def stimulus():
    """(we, waddr, wdata, re, raddr) per cycle."""
    seq = [(1, a, (a * 29 + 3) & 0xFF, 1, (a + 16) % 32) for a in range(32)]   # fill while reading elsewhere
    seq += [(0, 0, 0, 1, a) for a in range(32)]
    seq += [(1, 9, 0x3C, 1, 9), (0, 0, 0, 0, 5), (0, 0, 0, 0, 6), (1, 9, 0xC3, 0, 9), (0, 0, 0, 1, 9)]
    for _ in range(400):
        waddr = random.randrange(32)
        raddr = waddr if random.random() < 0.25 else random.randrange(32)
        seq.append((int(random.random() < 0.5), waddr, random.randrange(256), int(random.random() < 0.7), raddr))
    return seq


@cocotb.test()
async def test_ram_dp(dut):
    Clock(dut.clk, 10, unit="ns").start()
    mem = {}
    rdata = None
    for cyc, (we, waddr, wdata, re, raddr) in enumerate(stimulus()):
        await FallingEdge(dut.clk)
        dut.we.value, dut.waddr.value, dut.wdata.value = we, waddr, wdata
        dut.re.value, dut.raddr.value = re, raddr
        await RisingEdge(dut.clk)
        await ReadOnly()
        if re:
            rdata = wdata if (we and waddr == raddr) else mem.get(raddr)
        if we:
            mem[waddr] = wdata
        if rdata is None:
            continue                       # read of a word never written: undefined
        got = read(dut.rdata)
        assert got == rdata, (f"cycle {cyc}: we={we} waddr={waddr} wdata={wdata:#04x} re={re} raddr={raddr}: "
                              f"expected rdata={rdata:#04x}, got {got}")
