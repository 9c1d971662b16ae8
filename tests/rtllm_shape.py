"""Build RTLLM-shaped design folders from our own references, and judge a design the plain-Icarus way.

``rtllm_folder`` writes ``design_description.txt``, ``verified_<top>.v`` (the reference itself, same module
name as the top) and a self-checking ``testbench.v`` in RTLLM's style: fixed stimulus, expected outputs
written into the testbench (recorded from the reference by a first Icarus run), and the lines
``===========Your Design Passed===========`` / ``===========Error===========``.

``plain_icarus`` is the flow a user runs by hand: compile the design with the testbench, run it, look for
the pass line. The tests compare hdlgen's verdicts with it.
"""

from __future__ import annotations

import random
import re
import tempfile
from pathlib import Path

from verilog_sim import sandbox
from verilog_sim.source.ports import detect_timing, module_ports

PASS_LINE = "Your Design Passed"
FAIL_BANNER = re.compile(r"(?i)=+\s*error\s*=+|your design failed")


def _ports(ref: str, top: str) -> tuple[str | None, list, list, object]:
    ports = module_ports(ref, top)
    timing = detect_timing(ref, ports)
    clock = timing.clock
    ins = [p for p in ports if p.direction == "input" and p.name != clock]
    outs = [p for p in ports if p.direction == "output"]
    return clock, ins, outs, timing


def _stimulus(ins: list, timing: object, steps: int, rng: random.Random) -> list[str]:
    """One binary word per step (inputs concatenated in port order); reset held for two steps first."""
    reset = getattr(timing, "reset", None)
    low = getattr(timing, "reset_active_low", False)
    words = []
    for i in range(steps):
        bits = []
        for p in ins:
            if p.name == reset:
                active = i < 2 or rng.random() < 0.03
                bits.append(("0" if low else "1") if active else ("1" if low else "0"))
            else:
                bits.append("".join(rng.choice("01") for _ in range(p.width)))
        words.append("".join(bits))
    return words


def _bench(top: str, clock: str | None, ins: list, outs: list, words: list[str],
           want: list[str] | None) -> str:
    """A testbench: applies ``words`` (1 ns after each falling edge), checks or prints the outputs 1 ns
    before the next falling edge."""
    in_w = sum(p.width for p in ins) or 1
    out_w = sum(p.width for p in outs)
    n = len(words)
    lines = ["`timescale 1ns / 1ps", "", "module testbench;"]
    if clock:
        lines.append(f"  reg {clock} = 0;")
    for p in ins:
        lines.append(f"  reg [{p.width - 1}:0] {p.name};")
    for p in outs:
        lines.append(f"  wire [{p.width - 1}:0] {p.name};")
    lines += [f"  reg [{in_w - 1}:0] tb_stim [0:{n - 1}];", f"  reg [{out_w - 1}:0] tb_want [0:{n - 1}];",
              "  integer tb_i, tb_errors = 0;"]
    conns = ", ".join(f".{p.name}({p.name})" for p in ([*ins] + outs)) + (f", .{clock}({clock})" if clock else "")
    lines.append(f"  {top} uut ({conns});")
    if clock:
        lines.append(f"  always #5 {clock} = ~{clock};")
    lines.append("  initial begin")
    for i, w in enumerate(words):
        lines.append(f"    tb_stim[{i}] = {in_w}'b{w or '0'};")
    if want is not None:
        for i, w in enumerate(want):
            lines.append(f"    tb_want[{i}] = {out_w}'b{w};")
    target = "{" + ", ".join(p.name for p in ins) + "}" if ins else None
    got = "{" + ", ".join(p.name for p in outs) + "}"
    lines += [f"    for (tb_i = 0; tb_i < {n}; tb_i = tb_i + 1) begin", "      #1;"]
    if target:
        lines.append(f"      {target} = tb_stim[tb_i];")
    lines.append("      #8;")
    if want is None:
        lines.append(f'      $display("%b", {got});')
    else:
        lines.append(f"      if ({got} !== tb_want[tb_i]) tb_errors = tb_errors + 1;")
    lines += ["      #1;", "    end"]
    if want is not None:
        lines += ["    if (tb_errors == 0) begin", '      $display("===========Your Design Passed===========");',
                  "    end", "    else begin", '      $display("===========Error=========== %0d", tb_errors);', "    end"]
    lines += ["    $finish;", "  end", "endmodule", ""]
    return "\n".join(lines)


def rtllm_folder(dest: Path, top: str, ref: str, description: str, *, steps: int = 80, seed: int = 0) -> Path:
    """Write one RTLLM-shaped design folder for the reference ``ref`` (module ``top``)."""
    clock, ins, outs, timing = _ports(ref, top)
    words = _stimulus(ins, timing, steps, random.Random(seed))
    recorder = _bench(top, clock, ins, outs, words, None)
    out = run_plain(ref, recorder)
    want = [ln.strip() for ln in out.splitlines() if re.fullmatch(r"[01xXzZ]+", ln.strip())]
    assert len(want) == steps, out[-500:]
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "design_description.txt").write_text(description)
    (dest / f"verified_{top}.v").write_text(ref)
    (dest / "testbench.v").write_text(_bench(top, clock, ins, outs, words, [w.lower() for w in want]))
    (dest / "makefile").write_text(f"TEST_DESIGN = {top}\nvcs:\n\tvcs -sverilog +v2k -timescale=1ns/1ns "
                                   "${TEST_DESIGN}.v testbench.v\nsim:\n\t./simv\n")
    return dest


def run_plain(design: str, testbench: str, extra_files: dict[str, str] | None = None, timeout: float = 60) -> str:
    """``iverilog -g2012 design.v testbench.v && vvp``: the output (compile errors included; a step that
    runs past ``timeout`` (a mutant can make a generate loop endless) ends the output with ``TIMEOUT``)."""
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        (d / "design.v").write_text(design)
        (d / "testbench.v").write_text(testbench)
        for name, text in (extra_files or {}).items():
            (d / name).write_text(text)
        # plain tools, but run by sandbox.run without isolation: on a timeout the whole process group goes
        # (subprocess.run would kill only the iverilog driver and leave `ivlpp | ivl` orphans growing
        # without a memory limit), and the address space is bounded
        limits = sandbox.Limits(wall_s=timeout)
        comp = sandbox.run(["iverilog", "-g2012", "-o", "sim.vvp", "design.v", "testbench.v"], d, limits=limits,
                           isolate=False)
        if comp.timed_out:
            return "TIMEOUT"
        if comp.returncode != 0:
            return comp.stdout + comp.stderr
        run = sandbox.run(["vvp", "-n", "sim.vvp"], d, limits=limits, isolate=False)
        if run.timed_out:
            return "TIMEOUT"
        return run.stdout + run.stderr


def plain_icarus_passes(design: str, testbench: str, extra_files: dict[str, str] | None = None,
                        timeout: float = 60) -> bool:
    """The by-hand verdict: the pass line is printed and no failure banner."""
    out = run_plain(design, testbench, extra_files, timeout)
    return PASS_LINE in out and not FAIL_BANNER.search(out)
