"""cocotb test of the sequential multiplier: corner operands, handshake timing (busy/done/latency), inputs and
start ignored while busy, back-to-back operations, reset in the middle of an operation."""

import random

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import FallingEdge, ReadOnly, RisingEdge

MAX_LATENCY = 16


def read(sig):
    """The signal as an int, or its bit string when it holds X or Z."""
    v = sig.value
    return int(v) if v.is_resolvable else str(v)


async def edge(dut, rst=0, start=0, a=0, b=0):
    """Drive inputs after the falling edge, then return the outputs after the next rising edge."""
    await FallingEdge(dut.clk)
    dut.rst.value, dut.start.value, dut.a.value, dut.b.value = rst, start, a, b
    await RisingEdge(dut.clk)
    await ReadOnly()
    return read(dut.product), read(dut.busy), read(dut.done)


async def operation(dut, n, a, b, last, noise, reset_after=None):
    """Run one multiplication and check the handshake; returns the product the design should now hold."""
    prod, busy, done = await edge(dut, start=1, a=a, b=b)
    assert (busy, done, prod) == (1, 0, last), (f"op {n} ({a}*{b}): after the starting edge expected busy=1 done=0 "
                                                f"product={last}, got busy={busy} done={done} product={prod}")
    for cycle in range(1, MAX_LATENCY + 1):
        if reset_after == cycle:
            prod, busy, done = await edge(dut, rst=1)
            assert (prod, busy, done) == (0, 0, 0), f"op {n}: reset mid-operation: expected all 0, got {(prod, busy, done)}"
            return 0
        x, y = (random.randrange(256), random.randrange(256)) if noise else (a, b)
        prod, busy, done = await edge(dut, start=int(noise), a=x, b=y)
        if done == 1:
            assert busy == 0 and prod == a * b, (f"op {n}: a={a} b={b}: at done (latency {cycle}) expected "
                                                 f"product={a * b} busy=0, got product={prod} busy={busy}")
            return prod
        assert (busy, prod) == (1, last), (f"op {n}: a={a} b={b}, cycle {cycle} after start: expected busy=1 and "
                                           f"product unchanged ({last}), got busy={busy} product={prod} done={done}")
    raise AssertionError(f"op {n}: a={a} b={b}: done did not rise within {MAX_LATENCY} cycles")


@cocotb.test()
async def test_seq_multiplier(dut):
    Clock(dut.clk, 10, unit="ns").start()
    await edge(dut, rst=1)
    prod, busy, done = await edge(dut, rst=1)
    assert (prod, busy, done) == (0, 0, 0), f"after reset expected product=0 busy=0 done=0, got {(prod, busy, done)}"
    corners = [(0, 0), (255, 255), (1, 255), (255, 1), (128, 2), (2, 128), (0, 200), (171, 205), (128, 128)]
    ops = corners + [(random.randrange(256), random.randrange(256)) for _ in range(25)]
    last = 0
    for n, (a, b) in enumerate(ops):
        last = await operation(dut, n, a, b, last, noise=(n % 2 == 1), reset_after=3 if n == 12 else None)
        if n == 12:
            continue                             # that operation was cut short by the reset
        prod, busy, done = await edge(dut)       # one idle cycle: done drops, result holds
        assert (prod, busy, done) == (last, 0, 0), (f"op {n}: the cycle after done expected product={last} "
                                                    f"busy=0 done=0, got {(prod, busy, done)}")
    # back to back: start on the edge right after done rose
    for n, (a, b) in enumerate([(7, 9), (200, 3), (13, 17)], start=len(ops)):
        last = await operation(dut, n, a, b, last, noise=False)
