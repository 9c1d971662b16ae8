"""cocotb test of the stack: fill past full, drain past empty, push+pop at every fill level including full and
empty, random traffic, reset with data inside."""

import random

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import FallingEdge, ReadOnly, RisingEdge

DEPTH = 8


def read(sig):
    """The signal as an int, or its bit string when it holds X or Z."""
    v = sig.value
    return int(v) if v.is_resolvable else str(v)


def stimulus():
    """(rst, push, pop) per cycle; data is random."""
    seq = [(1, 0, 0)] * 2
    seq += [(0, 1, 0)] * (DEPTH + 2)          # fill, then overflow
    seq += [(0, 1, 1)] * 2                     # replace the top while full
    seq += [(0, 0, 1)] * (DEPTH + 2)          # drain, then underflow
    seq += [(0, 1, 1)] * 2                     # push+pop on empty pushes, then replaces
    seq += [(0, 1, 0)] * 3 + [(1, 1, 0)] + [(0, 0, 1)] * 2   # reset with data inside
    for p_push, p_pop in ((0.7, 0.3), (0.5, 0.5), (0.3, 0.7), (0.8, 0.8)):
        for _ in range(90):
            seq.append((int(random.random() < 0.005), int(random.random() < p_push), int(random.random() < p_pop)))
    return seq


@cocotb.test()
async def test_lifo_stack(dut):
    Clock(dut.clk, 10, unit="ns").start()
    stack, error = [], 0
    for cyc, (rst, push, pop) in enumerate(stimulus()):
        din = random.randrange(256)
        await FallingEdge(dut.clk)
        dut.rst.value, dut.push.value, dut.pop.value, dut.din.value = rst, push, pop, din
        await RisingEdge(dut.clk)
        await ReadOnly()
        error = 0
        if rst:
            stack = []
        elif push and pop:
            if stack:
                stack[-1] = din
            else:
                stack.append(din)
        elif push:
            if len(stack) == DEPTH:
                error = 1
            else:
                stack.append(din)
        elif pop:
            if stack:
                stack.pop()
            else:
                error = 1
        ctx = f"cycle {cyc}: rst={rst} push={push} pop={pop} din={din:#04x} (model holds {len(stack)} words)"
        got = (read(dut.empty), read(dut.full), read(dut.error))
        expected = (int(not stack), int(len(stack) == DEPTH), error)
        assert got == expected, f"{ctx}: expected (empty, full, error)={expected}, got {got}"
        if stack:
            got = read(dut.top_data)
            assert got == stack[-1], f"{ctx}: expected top_data={stack[-1]:#04x}, got {got}"
