"""cocotb test of the PWM generator: every duty value, duty changing mid-period, resets mid-period."""

import random

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import FallingEdge, ReadOnly, RisingEdge


def read(sig):
    """The signal as an int, or its bit string when it holds X or Z."""
    v = sig.value
    return int(v) if v.is_resolvable else str(v)


def stimulus():
    """(rst, duty) per cycle."""
    seq = [(1, 9)] * 2
    for d in list(range(16)) + [15, 0, 8]:
        seq += [(0, d)] * 16
    for _ in range(200):                      # duty jumps around inside periods
        seq.append((int(random.random() < 0.01), random.randrange(16)))
    seq += [(0, 12)] * 20 + [(1, 12)] + [(0, 12)] * 20
    return seq


@cocotb.test()
async def test_pwm(dut):
    Clock(dut.clk, 10, unit="ns").start()
    phase = active = None
    for cyc, (rst, duty) in enumerate(stimulus()):
        await FallingEdge(dut.clk)
        dut.rst.value, dut.duty.value = rst, duty
        await RisingEdge(dut.clk)
        await ReadOnly()
        if rst:
            phase, active = 0, 0
        else:
            if phase == 15:
                active = duty
            phase = (phase + 1) % 16
        expected = (int(phase < active), int(phase == 0))
        got = (read(dut.pwm_out), read(dut.period_start))
        assert got == expected, (f"cycle {cyc}: rst={rst} duty={duty} (phase {phase}, active duty {active}): "
                                 f"expected (pwm_out, period_start)={expected}, got {got}")
