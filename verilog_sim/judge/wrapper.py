"""The generated harness of a differential run: one top module driving the reference and N candidates.

The reference and candidates (units renamed apart, see :mod:`verilog_sim.source.rename`) sit on shared inputs;
each candidate gets private input copies; comparators count mismatches after each clock edge and input change.
X/Z on a reference bit is don't-care; X/Z on a candidate bit the reference defines is a mismatch (the
VerilogEval rule).
"""

from __future__ import annotations

from ..source.ports import Port
from .reference import Reference

DEFAULT_CYCLES = 2000
WRAPPER = "hdlgen_diff_top"
TB_MODULE = "hdlgen_difftb"
HEADER = "`timescale 1ns/1ps\n`default_nettype wire\n"  # each file starts clean: no leaks between files
HEADER_LINES = HEADER.count("\n")


def _decl(width: int) -> str:
    return f"[{width - 1}:0] "


def stimulus_ports(ref: Reference) -> list[Port]:
    """Inputs replayed from the stimulus file, in word order (MSB first): every input but the clock."""
    return [p for p in ref.inputs if p.name != ref.timing.clock]


def _replay(ref: Reference, cycles: int, stim_file: str) -> list[str]:
    """The process that loads the stimulus the cocotb test wrote and applies it on the clock's schedule.

    Sequential: first inputs at 0 (compared too: initial values count), then rising edge at 10k+5, input
    change at 10k+8, falling edge at 10k+10, input change at 10k+13; combinational: an input vector every
    2 ns. Every event is followed by a compare 1 ns later.
    """
    stim = stimulus_ports(ref)
    width = sum(p.width for p in stim) or 1
    clock = ref.timing.clock
    events = 1 + 2 * cycles if clock else 4 * cycles
    target = "{" + ", ".join(f"hdI_{p.name}" for p in stim) + "}" if stim else "hdlgen_unused"
    out = [f"  reg [{width - 1}:0] hdlgen_stim [0:{events - 1}];", "  reg hdlgen_unused;", "  integer hdlgen_i;",
           "  reg [63:0] hdlgen_sum = 64'd0;",
           "  initial begin",
           "    wait (hdlgen_go === 1'b1);",
           f'    $readmemh("{stim_file}", hdlgen_stim);',
           # the harness compares this checksum with the stimulus it wrote: an unreadable, truncated or
           # rewritten file (a design exhausting file descriptors, or writing its own) is an error, not a pass
           f"    for (hdlgen_i = 0; hdlgen_i < {events}; hdlgen_i = hdlgen_i + 1)",
           "      hdlgen_sum = hdlgen_sum * 64'd31 + hdlgen_stim[hdlgen_i];"]
    if clock:
        out += [f"    hdI_{clock} = 1'b0; {target} = hdlgen_stim[0]; hdlgen_cmp = ~hdlgen_cmp;", "    #5;",
                f"    for (hdlgen_i = 0; hdlgen_i < {cycles}; hdlgen_i = hdlgen_i + 1) begin",
                f"      hdI_{clock} = 1'b1; hdlgen_cmp = ~hdlgen_cmp;",
                f"      #3 {target} = hdlgen_stim[2 * hdlgen_i + 1]; hdlgen_cmp = ~hdlgen_cmp;",
                f"      #2 hdI_{clock} = 1'b0; hdlgen_cmp = ~hdlgen_cmp;",
                f"      #3 {target} = hdlgen_stim[2 * hdlgen_i + 2]; hdlgen_cmp = ~hdlgen_cmp;",
                "      #2;", "    end"]
    else:
        out += [f"    for (hdlgen_i = 0; hdlgen_i < {events}; hdlgen_i = hdlgen_i + 1) begin",
                f"      {target} = hdlgen_stim[hdlgen_i]; hdlgen_cmp = ~hdlgen_cmp;", "      #2;", "    end"]
    out += ["    #2 hdlgen_done = 1'b1;", "  end"]
    return out


def wrapper_source(ref: Reference, ref_top: str, cand_tops: list[str], cycles: int = DEFAULT_CYCLES,
                   stim_file: str = "hdlgen_stim.hex") -> str:
    """The top module: input regs, one reference instance, candidates on private input copies, comparators,
    and the stimulus replay."""
    ins, outs = ref.inputs, ref.outputs
    in_cat = "{" + ", ".join(f"hdI_{p.name}" for p in ins) + "}" if ins else "1'b0"
    in_w = sum(p.width for p in ins) or 1
    out_w = sum(p.width for p in outs)
    lines = [HEADER + f"module {WRAPPER};", "  reg hdlgen_cmp = 1'b0;", "  reg [31:0] hdlgen_samples = 0;",
             "  reg hdlgen_go = 1'b0;", "  reg hdlgen_done = 1'b0;"]
    for p in ins:
        lines.append(f"  reg {_decl(p.width)}hdI_{p.name};")
    for p in outs:
        lines.append(f"  wire {_decl(p.width)}hdR_{p.name};")
        lines.append(f"  wire {_decl(p.width)}hdH_{p.name} = hdR_{p.name} ^ {{{p.width}{{1'b0}}}};  // z -> x")
        # coverage: bits of the reference's output ever seen 1 (hdV1) and ever seen 0 (hdV0)
        lines.append(f"  reg {_decl(p.width)}hdV1_{p.name} = 0; reg {_decl(p.width)}hdV0_{p.name} = 0;")
    conns = ", ".join([f".{p.name}(hdI_{p.name})" for p in ins] + [f".{p.name}(hdR_{p.name})" for p in outs])
    lines.append(f"  {ref_top} hdlgen_ref ({conns});")
    for k, top in enumerate(cand_tops):
        for p in ins:  # a private copy: a candidate driving its input cannot disturb the others
            lines.append(f"  wire {_decl(p.width)}hdK{k}_{p.name} = hdI_{p.name};")
        for p in outs:
            lines.append(f"  wire {_decl(p.width)}hdC{k}_{p.name};")
        conns = ", ".join([f".{p.name}(hdK{k}_{p.name})" for p in ins] + [f".{p.name}(hdC{k}_{p.name})" for p in outs])
        lines.append(f"  {top} hdlgen_c{k} ({conns});")
        lines.append(f"  reg [31:0] hdM{k} = 0; reg [15:0] hdS{k} = 0; reg [63:0] hdT{k} = 0;")
        lines.append(f"  reg {_decl(out_w)}hdE{k}; reg {_decl(out_w)}hdG{k}; reg {_decl(in_w)}hdF{k};")
    lines += _replay(ref, cycles, stim_file)
    lines.append("  reg [15:0] hdlgen_sig;")
    lines.append("  always @(hdlgen_cmp) begin")
    lines.append("    #1;")
    lines.append("    hdlgen_samples = hdlgen_samples + 1;")
    for p in outs:
        lines.append(f"    hdV1_{p.name} = hdV1_{p.name} | hdH_{p.name}; hdV0_{p.name} = hdV0_{p.name} | ~hdH_{p.name};")
    ref_cat = "{" + ", ".join(f"hdR_{p.name}" for p in outs) + "}"
    for k in range(len(cand_tops)):
        lines.append("    hdlgen_sig = 0;")
        for j, p in enumerate(outs, 1):
            h, c = f"hdH_{p.name}", f"hdC{k}_{p.name}"
            lines.append(f"    if (hdlgen_sig == 0 && ({h} ^ {c} ^ {h}) !== {h}) hdlgen_sig = {j};")
        cand_cat = "{" + ", ".join(f"hdC{k}_{p.name}" for p in outs) + "}"
        lines.append(f"    if (hdlgen_sig != 0) begin hdM{k} = hdM{k} + 1; if (hdM{k} == 1) begin hdT{k} = $time; "
                     f"hdS{k} = hdlgen_sig; hdE{k} = {ref_cat}; hdG{k} = {cand_cat}; hdF{k} = {in_cat}; end end")
    lines.append("  end")
    lines.append("endmodule")
    return "\n".join(lines) + "\n"

