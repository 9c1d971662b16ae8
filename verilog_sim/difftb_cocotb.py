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
RESET_P = 1.0 / 32  # chance of a reset pulse at each input change after the initial reset


class Stimulus:
    """Random values with bias towards holding, all-zeros, all-ones and single-bit flips."""

    def __init__(self, rng: random.Random, width: int) -> None:
        self.rng, self.width = rng, width
        self.mask = (1 << width) - 1
        self.value = rng.getrandbits(width)

    def next(self) -> int:
        r = self.rng.random()
        if r < 0.55:
            self.value = self.rng.getrandbits(self.width)
        elif r < 0.75:
            pass  # hold: sequence detectors need runs of the same input
        elif r < 0.82:
            self.value = 0
        elif r < 0.89:
            self.value = self.mask
        else:
            self.value ^= 1 << self.rng.randrange(self.width)
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
    data = [(getattr(dut, "hdI_" + p["name"]), Stimulus(rng, p["width"]))
            for p in cfg["inputs"] if p["name"] not in (clock, reset)]
    rst = getattr(dut, "hdI_" + reset) if reset else None
    clk = getattr(dut, "hdI_" + clock) if clock else None
    toggle = 0

    def compare() -> None:
        nonlocal toggle
        toggle ^= 1
        cmp.value = toggle

    def drive(in_reset: bool) -> None:
        for handle, stim in data:
            handle.value = stim.next()
        if rst is not None:
            on = in_reset or rng.random() < RESET_P
            rst.value = active if on else 1 - active

    if clk is None:
        for i in range(cycles):
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
