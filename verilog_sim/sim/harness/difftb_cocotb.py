"""Generated differential testbench: the cocotb test copied into each scratch directory (cocotb + stdlib only).

It draws the random stimulus (seeded; regimes, reset pulses, the reference's constants), hands it to the
wrapper ``hdlgen_diff_top`` as ``hdlgen_stim.hex`` and starts it; the wrapper (reference + N renamed
candidates on shared inputs) replays it with the clock, compares every output after each edge and input
change, and keeps per-candidate mismatch counters and the first mismatch. Replaying in the simulator
instead of awaiting each edge in Python makes a run cost about the same for 1 or 256 candidates.
The test then reads the counters and reports them through ``hdlgen_report`` (a descriptor the design cannot
reach, never a file in scratch). Settings come from ``hdlgen_diff.json`` beside this file. Never imported by
``verilog_sim`` itself.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import cocotb
import hdlgen_report
from cocotb.triggers import RisingEdge

HERE = Path(__file__).resolve().parent
SEGMENTS = (16, 32, 64, 128, 256)  # input changes per stimulus regime
ACTIVITY = (1.0, 1.0, 0.5, 0.2, 0.05)  # chance an input changes at an input-change point
BIAS = (0.5, 0.5, 0.5, 0.1, 0.9, 0.03)  # chance a 1-bit input is 1 (rare pulses, rare idles)
RESET_P = (1 / 32, 1 / 32, 1 / 64, 1 / 128, 1 / 512, 0.0)  # chance of a reset pulse at an input change
EQUAL_P = 0.05  # chance per input change that one wide input copies another of its width (a == b corners)
DEEP_STRETCHES = 2  # reset-free stretches of the deep phase (see deep_words)


class Stimulus:
    """Random values in regimes: how often it changes and (1 bit) how often it is 1 are redrawn per segment.

    Wide values mix uniform bits, all-zeros, all-ones, single-bit flips, +-1 and the reference's own
    constants (a 16-bit case item is never hit by uniform bits alone).
    """

    def __init__(self, rng: random.Random, width: int, constants: list[int]) -> None:
        self.rng, self.width = rng, width
        self.mask = (1 << width) - 1
        self.constants = sorted({c & self.mask for k in constants for c in (k, k - 1, k + 1) if 0 <= c <= self.mask})
        # run lengths near the reference's small constants (in half cycles and in cycles): a counter that
        # fires after 20 cycles is tested at 19, 20 and 21, as directed testbenches do
        self.runs = sorted({n for k in constants if 2 <= k <= 300 for c in (k - 1, k, k + 1) for n in (c, 2 * c)})
        self.value = rng.getrandbits(width)
        self.hold = 0
        self.regime()

    def regime(self) -> None:
        self.activity = self.rng.choice(ACTIVITY)
        self.bias = self.rng.choice(BIAS)
        self.timed = bool(self.runs) and self.rng.random() < 0.5

    def next(self) -> int:
        rng = self.rng
        if self.timed:
            if self.hold > 0:
                self.hold -= 1
                return self.value
            self.hold = rng.choice(self.runs) - 1
            if self.width == 1:
                self.value ^= 1
                return self.value
        elif rng.random() >= self.activity:
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


def deep_words(rng: random.Random, fields: list[dict], stims: list, reset: str | None, active: int,
               cycles: int) -> list[int]:
    """The deep phase: one reset, then reset-free stretches where every 1-bit input is held.

    Random resets (and 1-bit inputs such as enables or restarts that toggle every few cycles) keep a random
    run near reset: a counter that saturates at 255 or wraps at 1000 is never seen there. Each stretch holds
    the 1-bit inputs for ``cycles / DEEP_STRETCHES`` cycles: at a random pattern, then at its complement
    (more stretches: a new pattern for each pair), so every input is held each way without a reset in
    between. Wide inputs keep drawing values. Two words per cycle, as the random part. (Measured: four
    stretches of half the length caught fewer of tests/corner_cases, and twice the length costs +45% time
    for a batch of 64 candidates.)
    """
    ones = [i for i, (f, st) in enumerate(zip(fields, stims)) if st is not None and f["width"] == 1]
    patterns = [{i: rng.getrandbits(1) for i in ones} for _ in range((DEEP_STRETCHES + 1) // 2)]
    per = max(1, cycles // DEEP_STRETCHES)
    out: list[int] = []
    for k in range(2 * cycles):
        stretch = min(DEEP_STRETCHES - 1, k // (2 * per))
        w = 0
        for i, (f, st) in enumerate(zip(fields, stims)):
            if st is None:
                v = active if (k < 4 and f["name"] == reset) else 1 - active
            elif i in patterns[0]:
                v = patterns[stretch // 2][i] ^ (stretch % 2)
            else:
                v = st.next()
            w = (w << f["width"]) | v
        out.append(w)
    return out


def equalize(rng: random.Random, fields: list[dict], values: list[int]) -> None:
    """Now and then make two inputs of the same width equal (comparators, ``a == b`` branches)."""
    if rng.random() >= EQUAL_P:
        return
    by_width: dict[int, list[int]] = {}
    for i, f in enumerate(fields):
        if f["width"] > 1:
            by_width.setdefault(f["width"], []).append(i)
    groups = [g for g in by_width.values() if len(g) > 1]
    if groups:
        a, b = rng.sample(rng.choice(groups), 2)
        values[b] = values[a]


def never_toggled(dut, outputs: list[dict]) -> list[str]:  # noqa: ANN001 - cocotb's handle
    """Reference output bits that never took both values (``q`` when no bit of it did, else ``q[3]``)."""
    out: list[str] = []
    for f in outputs:
        ones, zeros = str(getattr(dut, f"hdV1_{f['name']}").value), str(getattr(dut, f"hdV0_{f['name']}").value)
        dead = [f["width"] - 1 - i for i, (a, b) in enumerate(zip(ones, zeros)) if a != "1" or b != "1"]
        if len(dead) == f["width"]:
            out.append(f["name"])
        else:
            out += [f"{f['name']}[{i}]" for i in sorted(dead)]
    return out


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
    reset = cfg["reset"]
    active = 0 if cfg["reset_active_low"] else 1
    consts = cfg.get("constants", [])
    fields = cfg["stimulus"]  # the inputs the wrapper replays, in word order (MSB first); clock excluded
    stims = [None if f["name"] == reset else Stimulus(rng, f["width"], consts) for f in fields]
    left = 0  # input changes left in the current regime
    reset_p = RESET_P[0]
    reset_rate = cfg.get("reset_rate")  # a fixed chance of a reset pulse per input change instead of RESET_P
    deep = int(cfg.get("deep") or 0) if cfg["clock"] is not None else 0
    bias_rng = random.Random(cfg["seed"] * 7919 + 1)  # its own stream: the regimes stay those of the seed

    def word(in_reset: bool) -> int:
        nonlocal left, reset_p
        if left <= 0:
            left = rng.choice(SEGMENTS)
            reset_p = rng.choice(RESET_P)
            if reset_rate is not None:
                reset_p = reset_rate
            for st in stims:
                if st is not None:
                    st.regime()
        left -= 1
        values = [(active if (in_reset or rng.random() < reset_p) else 1 - active) if st is None else st.next()
                  for st in stims]
        equalize(bias_rng, fields, values)
        w = 0
        for f, st, v in zip(fields, stims, values):
            if st is not None:
                st.value = v
            w = (w << f["width"]) | v
        return w

    if cfg["clock"] is None:  # combinational: a cycle is four input vectors
        words = [word(i < 1) for i in range(4 * cycles)]
    else:  # one vector at the start, then two per cycle (after the rising and after the falling edge)
        words = [word(True)]
        for i in range(cycles - deep):
            words += [word(i < 2), word(i < 1)]
        words += deep_words(bias_rng, fields, stims, reset, active, deep)
    prefix = cfg.get("prefix") or []  # given words first (a formal counterexample's replay)
    words[:len(prefix)] = prefix[:len(words)]
    digits = max(1, (sum(f["width"] for f in fields) + 3) // 4)
    (HERE / "hdlgen_stim.hex").write_text("".join(f"{w:0{digits}x}\n" for w in words))
    done = RisingEdge(dut.hdlgen_done)
    dut.hdlgen_go.value = 1  # the wrapper loads the file and replays it at full simulator speed
    await done

    checksum = 0
    for w in words:  # what the wrapper must have read (see its hdlgen_sum)
        checksum = (checksum * 31 + w) & (2**64 - 1)
    read = str(dut.hdlgen_sum.value)
    stimulus_ok = set(read) <= {"0", "1"} and int(read, 2) == checksum
    results = {"samples": int(dut.hdlgen_samples.value), "cycles": cycles, "seed": cfg["seed"], "candidates": [],
               "stimulus_ok": stimulus_ok}
    outputs = cfg["outputs"]
    results["coverage"] = {"outputs_never_toggled": never_toggled(dut, outputs)}
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
    hdlgen_report.put("differential", results)
