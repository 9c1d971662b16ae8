"""The miter: reference ("gold") and candidate ("gate") on shared inputs, one output that is 1 when they differ.

Sequential designs are modelled the way the differential harness drives them: yosys' ``clk2fflogic`` turns
every flip-flop (posedge, negedge, async reset, latch) into logic on one global step, and the miter drives the
clock itself, low on even frames and high on odd ones. One frame is one half clock cycle and carries one
stimulus word, exactly as the harness applies a word after each edge (see
:mod:`verilog_sim.judge.wrapper`): frame ``f`` of a counterexample is word ``f`` of the replay. The reset is
forced active in the first cycle (frames 0 and 1), so checking starts from reset; frame 0, before any edge, is
not compared (the reference's registers are still X there in simulation).

Registers without an initial value start at 0 in both designs (``setundef -zero -init``): the reference's X is
a don't-care in simulation, so this only removes counterexamples simulation would not confirm. X constants and
undriven nets of the candidate become free values each frame (``$anyseq``): a candidate cannot hide a wrong
output behind an X the solver would otherwise pick in its favour.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..source.ports import Port, Timing

MITER = "hdlgen_miter"
GOLD_SUFFIX = "_hfgold"
GATE_SUFFIX = "_hfgate"
TRIGGER = "hdlgen_trigger"


def input_name(port: str) -> str:
    """The miter's input for a design input (also its name in the AIGER map)."""
    return f"hdI_{port}"


@dataclass(frozen=True)
class Miter:
    """Files and script of one equivalence check, and what its frames mean."""

    files: dict[str, str]  # file name -> text, written into the scratch directory
    script: str  # the yosys script that writes miter.aig and miter.aigmap
    sequential: bool
    stimulus: tuple[Port, ...]  # the harness's stimulus word, MSB first (every input but the clock)


def _decl(width: int) -> str:
    return f"[{width - 1}:0] " if width > 1 else ""


def build_miter(gold: str, gold_top: str, gate: str, gate_top: str, ports: list[Port], timing: Timing) -> Miter:
    """The miter of ``gold_top`` (in ``gold``) and ``gate_top`` (in ``gate``) over ``ports``.

    Both sources are already renamed apart (:func:`verilog_sim.source.rename.rename_all` with
    ``GOLD_SUFFIX`` and ``GATE_SUFFIX``, run in the parse worker: the text is untrusted).
    """
    ins = [p for p in ports if p.direction == "input"]
    outs = [p for p in ports if p.direction == "output"]
    clock = timing.clock
    stim = tuple(p for p in ins if p.name != clock)
    lines = [f"module {MITER}("
             + ", ".join([f"input {_decl(p.width)}{input_name(p.name)}" for p in stim] + [f"output {TRIGGER}"])
             + ");"]
    drive = {p.name: input_name(p.name) for p in stim}
    compare = "1'b1"
    if clock:
        lines += ["  reg hdF_clk = 1'b0;", "  reg [1:0] hdF_frame = 2'd0;",
                  "  always @($global_clock) begin",
                  "    hdF_clk <= !hdF_clk;",
                  "    if (hdF_frame != 2'd3) hdF_frame <= hdF_frame + 2'd1;",
                  "  end"]
        drive[clock] = "hdF_clk"
        compare = "hdF_frame != 2'd0"
        if timing.reset and timing.reset in drive:
            active = "1'b0" if timing.reset_active_low else "1'b1"
            lines.append(f"  wire hdF_rst = (hdF_frame < 2'd2) ? {active} : {drive[timing.reset]};")
            drive[timing.reset] = "hdF_rst"
    for p in outs:
        lines.append(f"  wire {_decl(p.width)}hdG_{p.name};")
        lines.append(f"  wire {_decl(p.width)}hdC_{p.name};")
    for inst, top, prefix in (("hdF_gold", gold_top, "hdG_"), ("hdF_gate", gate_top, "hdC_")):
        conns = [f".{p.name}({drive[p.name]})" for p in ins] + [f".{p.name}({prefix}{p.name})" for p in outs]
        lines.append(f"  {top} {inst} ({', '.join(conns)});")
    g = "{" + ", ".join(f"hdG_{p.name}" for p in outs) + "}"
    c = "{" + ", ".join(f"hdC_{p.name}" for p in outs) + "}"
    lines.append(f"  assign {TRIGGER} = ({compare}) && ({g} != {c});")
    lines.append("endmodule")
    miter = "\n".join(lines) + "\n"
    script = "\n".join([
        "read_verilog -sv gold.v",
        "read_verilog -sv gate.v",
        "read_verilog -sv -formal miter.v",
        f"hierarchy -check -top {MITER}",
        "proc",
        f"setundef -undriven -anyseq *{GATE_SUFFIX}",  # a candidate's X is whatever makes it differ
        "flatten",
        "opt_clean",
        "setundef -undriven -zero",  # the reference's X: a don't-care, 0 here (replay decides)
        "memory_map",
        "opt -fast",
        "clk2fflogic",
        "setundef -zero -init",  # registers without an initial value start at 0 in both designs
        "opt -fast",
        "techmap",
        "opt -fast",
        "abc -g AND",
        "opt_clean",
        "write_aiger -zinit -map miter.aigmap miter.aig",
    ]) + "\n"
    return Miter({"gold.v": gold, "gate.v": gate, "miter.v": miter}, script, clock is not None, stim)
