"""Generated differential testbench: the cocotb test copied into each scratch directory (cocotb + stdlib only).

It drives random stimulus into the wrapper ``hdlgen_diff_top`` (reference + N renamed candidates on shared
inputs), toggles ``hdlgen_cmp`` at every compare point (the wrapper compares one time unit later and keeps
per-candidate mismatch counters and the first mismatch), then writes ``hdlgen_diff_results.json``.
Reads its settings from ``hdlgen_diff.json`` beside this file. Never imported by ``verilog_sim`` itself.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import cocotb
from cocotb.triggers import Timer

HERE = Path(__file__).resolve().parent
SEGMENTS = (16, 64, 256, 1024)  # input changes per stimulus regime
ACTIVITY = (1.0, 1.0, 0.5, 0.2, 0.05)  # chance an input changes at an input-change point
BIAS = (0.5, 0.5, 0.5, 0.1, 0.9, 0.03)  # chance a 1-bit input is 1 (rare pulses, rare idles)
RESET_P = (1 / 32, 1 / 32, 1 / 256, 0.0)  # chance of a reset pulse at an input change


class Stimulus:
    """Random values in regimes: how often it changes and (1 bit) how often it is 1 are redrawn per segment.

    Wide values mix uniform bits, all-zeros, all-ones, single-bit flips, +-1 and the reference's own
    constants (a 16-bit case item is never hit by uniform bits alone).
    """

    def __init__(self, rng: random.Random, width: int, constants: list[int]) -> None:
        self.rng, self.width = rng, width
        self.mask = (1 << width) - 1
        self.constants = sorted({c & self.mask for k in constants for c in (k, k - 1, k + 1) if 0 <= c <= self.mask})
        self.value = rng.getrandbits(width)
        self.regime()

    def regime(self) -> None:
        self.activity = self.rng.choice(ACTIVITY)
        self.bias = self.rng.choice(BIAS)

    def next(self) -> int:
        rng = self.rng
        if rng.random() >= self.activity:
            return self.value
        if self.width == 1:
            self.value = int(rng.random() < self.bias)
            return self.value
        r = rng.random()
        if r < 0.5:
            self.value = rng.getrandbits(self.width)
        elif r < 0.58:
            self.value = 0
        elif r < 0.66:
            self.value = self.mask
        elif r < 0.76:
            self.value ^= 1 << rng.randrange(self.width)
        elif r < 0.84:
            self.value = (self.value + rng.choice((1, -1))) & self.mask
        elif self.constants:
            self.value = rng.choice(self.constants)
        else:
            self.value = rng.getrandbits(self.width)
        return self.value


def _slices(fields: list[dict], text: str) -> dict[str, str]:
    """Split a concatenation (MSB first, fields in order) into ``{name: "W'bBITS"}``."""
    out, pos = {}, 0
    for f in fields:
        bits = text[pos:pos + f["width"]].lower()
        out[f["name"]] = f"{f['width']}'b{bits}"
        pos += f["width"]
    return out


@cocotb.test()
async def differential(dut) -> None:  # noqa: ANN001 - cocotb's handle
    cfg = json.loads((HERE / "hdlgen_diff.json").read_text())
    rng = random.Random(cfg["seed"])
    cycles, n = cfg["cycles"], cfg["candidates"]
    clock, reset = cfg["clock"], cfg["reset"]
    active = 0 if cfg["reset_active_low"] else 1
    cmp = dut.hdlgen_cmp
    consts = cfg.get("constants", [])
    data = [(getattr(dut, "hdI_" + p["name"]), Stimulus(rng, p["width"], consts))
            for p in cfg["inputs"] if p["name"] not in (clock, reset)]
    rst = getattr(dut, "hdI_" + reset) if reset else None
    clk = getattr(dut, "hdI_" + clock) if clock else None
    toggle = 0
    left = 0  # input changes left in the current regime
    reset_p = RESET_P[0]

    def compare() -> None:
        nonlocal toggle
        toggle ^= 1
        cmp.value = toggle

    def drive(in_reset: bool) -> None:
        nonlocal left, reset_p
        if left <= 0:
            left = rng.choice(SEGMENTS)
            reset_p = rng.choice(RESET_P)
            for _, stim in data:
                stim.regime()
        left -= 1
        for handle, stim in data:
            handle.value = stim.next()
        if rst is not None:
            on = in_reset or rng.random() < reset_p
            rst.value = active if on else 1 - active

    if clk is None:  # combinational: a cycle is four input vectors, each compared once settled
        for i in range(4 * cycles):
            drive(i < 1)
            compare()
            await Timer(2, unit="ns")
    else:
        clk.value = 0
        drive(True)
        await Timer(5, unit="ns")
        for i in range(cycles):
            clk.value = 1
            compare()
            await Timer(3, unit="ns")
            drive(i < 2)
            compare()
            await Timer(2, unit="ns")
            clk.value = 0
            compare()
            await Timer(3, unit="ns")
            drive(i < 1)
            compare()
            await Timer(2, unit="ns")
    await Timer(2, unit="ns")

    results = {"samples": int(dut.hdlgen_samples.value), "cycles": cycles, "seed": cfg["seed"], "candidates": []}
    outputs = cfg["outputs"]
    for k in range(n):
        count = int(getattr(dut, f"hdM{k}").value)
        entry: dict = {"mismatches": count, "first_mismatch": None}
        if count:
            sig = outputs[int(getattr(dut, f"hdS{k}").value) - 1]["name"]
            expected = _slices(outputs, str(getattr(dut, f"hdE{k}").value))
            got = _slices(outputs, str(getattr(dut, f"hdG{k}").value))
            inputs = _slices(cfg["inputs"], str(getattr(dut, f"hdF{k}").value)) if cfg["inputs"] else {}
            entry["first_mismatch"] = {"time": int(getattr(dut, f"hdT{k}").value), "time_unit": "ns",
                                       "signal": sig, "inputs": inputs,
                                       "expected": expected[sig], "got": got[sig],
                                       "outputs_expected": expected, "outputs_got": got}
        results["candidates"].append(entry)
    (HERE / "hdlgen_diff_results.json").write_text(json.dumps(results))
