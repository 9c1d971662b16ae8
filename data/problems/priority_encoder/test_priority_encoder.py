"""cocotb test of the 8-input priority encoder: all 256 request patterns, exhaustively."""

import cocotb
from cocotb.triggers import Timer


def read(sig):
    """The signal as an int, or its bit string when it holds X or Z."""
    v = sig.value
    return int(v) if v.is_resolvable else str(v)


@cocotb.test()
async def test_priority_encoder(dut):
    for req in list(range(256)) + [0x80, 0x00, 0x01, 0xFF, 0x00]:
        dut.req.value = req
        await Timer(1, unit="ns")
        exp_valid = int(req != 0)
        exp_idx = req.bit_length() - 1 if req else 0
        got_idx, got_valid = read(dut.idx), read(dut.valid)
        assert got_valid == exp_valid, f"req={req:08b}: expected valid={exp_valid}, got {got_valid}"
        assert got_idx == exp_idx, f"req={req:08b}: expected idx={exp_idx}, got {got_idx}"
