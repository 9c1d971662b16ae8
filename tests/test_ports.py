"""Port lists (pyslang, elaborated) and clock/reset detection of verilog_sim.source.ports."""

from __future__ import annotations

import json

import pytest

from verilog_sim.source.ports import Port, PortError, compare_ports, detect_timing, module_ports


def test_ansi_ports_with_parameters_and_signedness():
    code = """module sub(input a, output b); assign b = a; endmodule
module top #(parameter W = 8) (input clk, input [W-1:0] a, input signed [3:0] s,
                               output reg [W:0] q, output logic z);
  sub u(.a(clk), .b(z));
  always @(posedge clk) q <= a;
endmodule"""
    assert module_ports(code, "top") == [
        Port("clk", "input", 1), Port("a", "input", 8), Port("s", "input", 4, signed=True),
        Port("q", "output", 9), Port("z", "output", 1)]
    assert module_ports(code, "sub") == [Port("a", "input", 1), Port("b", "output", 1)]


def test_non_ansi_ports():
    code = "module m(a, b, y); input [2:0] a; input b; output [5:0] y; assign y = {a, a} ^ b; endmodule"
    assert [(p.name, p.direction, p.width) for p in module_ports(code, "m")] == [
        ("a", "input", 3), ("b", "input", 1), ("y", "output", 6)]


def test_missing_module_and_unpacked_port_are_errors():
    with pytest.raises(PortError, match="not found"):
        module_ports("module a(input x); endmodule", "b")
    with pytest.raises(PortError, match="packed"):
        module_ports("module m(input [3:0] mem [0:1], output y); endmodule", "m")


def test_compare_ports_names_every_difference():
    ref = [Port("clk", "input", 1), Port("d", "input", 4), Port("q", "output", 4)]
    assert compare_ports(ref, list(reversed(ref)), "top") is None  # order does not matter
    msg = compare_ports(ref, [Port("clk", "input", 1), Port("d", "input", 3), Port("y", "output", 4)], "top")
    assert "missing port q" in msg and "unexpected port y" in msg and "'d' is 3 bits wide" in msg
    msg = compare_ports(ref, [Port("clk", "input", 1), Port("d", "output", 4), Port("q", "output", 4)], "top")
    assert "'d' is output, the reference has input" in msg


def _timing(code: str, top: str = "m"):
    return detect_timing(code, module_ports(code, top))


def test_combinational_design_has_no_clock():
    t = _timing("module m(input a, b, output y); assign y = a & b; endmodule")
    assert t.clock is None and t.reset is None and not t.sequential


def test_sync_active_high_reset():
    t = _timing("""module m(input clk, input reset, input d, output reg q);
      always @(posedge clk) if (reset) q <= 0; else q <= d; endmodule""")
    assert (t.clock, t.clock_edge, t.reset, t.reset_active_low, t.reset_async) == ("clk", "posedge", "reset", False, False)


def test_async_active_low_reset_by_behaviour():
    t = _timing("""module m(input clock, input nrst_sig, input d, output reg q);
      always @(negedge clock or negedge nrst_sig) if (!nrst_sig) q <= 0; else q <= d; endmodule""")
    assert (t.clock, t.clock_edge, t.reset, t.reset_active_low, t.reset_async) == ("clock", "negedge", "nrst_sig", True, True)


def test_sync_active_low_reset_by_polarity_test():
    t = _timing("""module m(input clk, input resetn, input d, output reg q);
      always @(posedge clk) if (resetn == 1'b0) q <= 0; else q <= d; endmodule""")
    assert t.reset == "resetn" and t.reset_active_low and not t.reset_async


def test_clock_found_by_behaviour_when_name_is_unusual():
    t = _timing("""module m(input tick, input d, output reg q); always @(posedge tick) q <= d; endmodule""")
    assert t.clock == "tick" and t.reset is None


def test_dual_edge_clock():
    t = _timing("""module m(input clk, input d, output q); reg a, b;
      always @(posedge clk) a <= d; always @(negedge clk) b <= d; assign q = clk ? a : b; endmodule""")
    assert t.clock == "clk" and t.clock_edge == "both"


def test_every_verilog_eval_reference_has_readable_ports(bench_dir):
    rows = [json.loads(x) for x in (bench_dir / "verilog-eval-v2" / "spec-to-rtl.jsonl").read_text().splitlines()]
    kinds = {"seq": 0, "comb": 0, "reset": 0, "async": 0}
    for r in rows:
        ports = module_ports(r["ref"], "RefModule")
        assert any(p.direction == "output" for p in ports), r["task_id"]
        t = detect_timing(r["ref"], ports)
        kinds["seq" if t.sequential else "comb"] += 1
        kinds["reset"] += t.reset is not None
        kinds["async"] += t.reset_async
    # measured on the 156 references: 74 clocked (47 with a reset, 16 of them asynchronous), 82 combinational
    assert kinds == {"seq": 74, "comb": 82, "reset": 51, "async": 16}, kinds
