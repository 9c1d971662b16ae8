"""cocotb test of the Gray converter: all 256 values both ways, with unrelated values on the other input."""

import random

import cocotb
from cocotb.triggers import Timer


def read(sig):
    """The signal as an int, or its bit string when it holds X or Z."""
    v = sig.value
    return int(v) if v.is_resolvable else str(v)


def to_gray(b):
    return b ^ (b >> 1)


def from_gray(g):
    b = 0
    while g:
        b ^= g
        g >>= 1
    return b


@cocotb.test()
async def test_gray_code(dut):
    values = list(range(256))
    others = values[:]
    random.shuffle(others)
    for v, w in zip(values, others):
        dut.bin_in.value = v
        dut.gray_in.value = w
        await Timer(1, unit="ns")
        got_g, got_b = read(dut.gray_out), read(dut.bin_out)
        assert got_g == to_gray(v), f"bin_in={v:08b}: expected gray_out={to_gray(v):08b}, got {got_g}"
        assert got_b == from_gray(w), f"gray_in={w:08b}: expected bin_out={from_gray(w):08b}, got {got_b}"
