"""cocotb test of the UART transmitter: exact frame timing and bit order, back-to-back frames, start ignored while
busy, data changing after capture, and asynchronous reset between edges in the middle of a frame."""

import random

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import FallingEdge, ReadOnly, RisingEdge, Timer

CPB = 4
FRAME = 10 * CPB


def read(sig):
    """The signal as an int, or its bit string when it holds X or Z."""
    v = sig.value
    return int(v) if v.is_resolvable else str(v)


class Model:
    def __init__(self):
        self.reset()

    def reset(self):
        self.k = None          # cycle index within the frame, None when idle
        self.bits = []

    def edge(self, start, data):
        if self.k is None:
            if start:
                self.k, self.bits = 0, [0] + [(data >> i) & 1 for i in range(8)] + [1]
        elif self.k == FRAME - 1:
            self.k = None
        else:
            self.k += 1

    def outputs(self):
        return (1, 0) if self.k is None else (self.bits[self.k // CPB], 1)


def stimulus():
    """(async reset before this cycle, start, data) per cycle."""
    seq = [(0, 0, 0)] * 3
    seq += [(0, 1, 0x01)] + [(0, 0, 0xFF)] * (FRAME + 3)              # one frame, data changes after capture
    seq += [(0, 1, 0x80)] + [(0, 1, 0x00)] * (FRAME + 1)              # start held: back-to-back, ignored while busy
    seq += [(0, 0, 0)] * 5 + [(0, 1, 0xA5)] + [(0, 0, 0)] * 17 + [(1, 0, 0)] + [(0, 0, 0)] * 4
    seq += [(0, 1, 0x3C)] + [(0, 0, 0)] * (FRAME + 2)
    for _ in range(350):
        seq.append((int(random.random() < 0.004), int(random.random() < 0.1), random.randrange(256)))
    return seq


@cocotb.test()
async def test_uart_tx(dut):
    Clock(dut.clk, 10, unit="ns").start()
    dut.start.value, dut.data.value = 0, 0
    dut.rst_n.value = 0
    await Timer(12, unit="ns")
    dut.rst_n.value = 1
    m = Model()
    for cyc, (areset, start, data) in enumerate(stimulus()):
        await FallingEdge(dut.clk)
        dut.start.value, dut.data.value = start, data
        if areset:                                   # asynchronous reset between edges
            dut.rst_n.value = 0
            await Timer(2, unit="ns")
            m.reset()
            got = (read(dut.tx), read(dut.busy))
            assert got == (1, 0), f"cycle {cyc}: rst_n=0 between edges: expected (tx, busy)=(1, 0) at once, got {got}"
            dut.rst_n.value = 1
        await RisingEdge(dut.clk)
        await ReadOnly()
        m.edge(start, data)
        expected = m.outputs()
        where = "idle" if m.k is None else f"frame cycle {m.k} (bit {m.k // CPB} of start,d0..d7,stop)"
        got = (read(dut.tx), read(dut.busy))
        assert got == expected, (f"cycle {cyc}: start={start} data={data:#04x}, model {where}: "
                                 f"expected (tx, busy)={expected}, got {got}")
