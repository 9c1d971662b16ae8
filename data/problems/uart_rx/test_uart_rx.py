"""cocotb test of the UART receiver: clean frames, back-to-back frames, a glitch (false start), a bad stop bit,
random gaps and bytes, and an asynchronous reset in the middle of a frame."""

import random

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import FallingEdge, ReadOnly, RisingEdge, Timer

CPB = 4
H = CPB // 2


def read(sig):
    """The signal as an int, or its bit string when it holds X or Z."""
    v = sig.value
    return int(v) if v.is_resolvable else str(v)


def frame(byte, stop=1):
    bits = [0] + [(byte >> i) & 1 for i in range(8)] + [stop]
    return [b for b in bits for _ in range(CPB)]


class Model:
    def __init__(self):
        self.data = 0
        self.reset()

    def reset(self):
        self.t, self.shift, self.data, self.valid, self.err = None, 0, 0, 0, 0

    def edge(self, rx):
        self.valid = self.err = 0
        if self.t is None:
            if rx == 0:
                self.t = 0
            return
        self.t += 1
        if self.t == H:
            if rx:
                self.t = None
        elif self.t == H + 9 * CPB:
            self.t = None
            if rx:
                self.data, self.valid = self.shift, 1
            else:
                self.err = 1
        elif (self.t - H) % CPB == 0:
            self.shift = (self.shift >> 1) | (rx << 7)


def stimulus():
    """(async reset before this cycle, rx) per cycle."""
    line = [1] * 5 + frame(0x55) + [1] * 3 + frame(0x01) + frame(0x80) + frame(0xFF)   # back to back
    line += [1] * 4 + [0] + [1] * 6                          # one-cycle glitch: false start
    line += [0, 1] + [1] * 6                                 # glitch lasting until just before mid-bit
    line += frame(0xA5, stop=0) + [1] * 6                    # framing error
    seq = [(0, b) for b in line]
    part = frame(0x3C)[:17]
    seq += [(0, b) for b in part] + [(1, 1)] + [(0, 1)] * 5   # reset in the middle of a frame
    start = frame(0xC6)                                       # reset, then a start bit at the very next edge
    seq += [(0, b) for b in frame(0x5A)[:9]] + [(1, start[0])] + [(0, b) for b in start[1:]] + [(0, 1)] * 2
    for _ in range(8):
        gap = [1] * random.randrange(0, 7)
        seq += [(0, b) for b in gap + frame(random.randrange(256), stop=int(random.random() < 0.85))]
    seq += [(0, 1)] * 3
    return seq


@cocotb.test()
async def test_uart_rx(dut):
    Clock(dut.clk, 10, unit="ns").start()
    dut.rx.value = 1
    dut.rst_n.value = 0
    await Timer(12, unit="ns")
    dut.rst_n.value = 1
    m = Model()
    for cyc, (areset, rx) in enumerate(stimulus()):
        await FallingEdge(dut.clk)
        dut.rx.value = rx
        if areset:                                  # asynchronous reset between edges
            dut.rst_n.value = 0
            await Timer(2, unit="ns")
            m.reset()
            got = (read(dut.data), read(dut.valid), read(dut.frame_err))
            assert got == (0, 0, 0), f"cycle {cyc}: rst_n=0 between edges: expected (data, valid, frame_err)=(0, 0, 0) at once, got {got}"
            dut.rst_n.value = 1
        await RisingEdge(dut.clk)
        await ReadOnly()
        m.edge(rx)
        where = "idle" if m.t is None else f"{m.t} edges after the start edge"
        expected = (m.valid, m.err)
        got = (read(dut.valid), read(dut.frame_err))
        assert got == expected, f"cycle {cyc}: rx={rx}, model {where}: expected (valid, frame_err)={expected}, got {got}"
        got = read(dut.data)
        assert got == m.data, f"cycle {cyc}: rx={rx}, model {where}: expected data={m.data:#04x}, got {got}"
