"""Forging designs: each is a WRONG design that tries to change its verdict through something other than its
ports (the harness's result files, its signals, its stdout, the compiler's exit status, its neighbours in a
batch). None may pass. ``HONEST`` designs beside them must keep passing.

Grouped by the path they attack; every entry is ``(name, code)``. The differential ones target the mux of
``data/problems/mux4`` judged against its reference (the wrapper is ``hdlgen_diff_top``, the reference's
outputs ``hdR_<port>``, the renamed reference ``top_href``, the counters ``hdM<k>``).
"""

from __future__ import annotations

MUX_PORTS = "input [7:0] d0, input [7:0] d1, input [7:0] d2, input [7:0] d3, input [1:0] sel, input en, output [7:0] y"
MUX_OK = f"""module top({MUX_PORTS});
  reg [7:0] p;
  always @(*) case (sel) 2'd0: p = d0; 2'd1: p = d1; 2'd2: p = d2; default: p = d3; endcase
  assign y = en ? p : 8'd0;
endmodule
"""
MUX_WRONG = f"module top({MUX_PORTS});\n  assign y = d0;\nendmodule\n"


def mux(body: str, extra: str = "", pre: str = "") -> str:
    """A wrong mux (it outputs ``d0`` unless ``body`` drives ``y`` otherwise) with forging ``body``."""
    return f"{pre}module top({MUX_PORTS});\n{body}\nendmodule\n{extra}"


HOLD_OPEN = "    for (i = 0; i < 400; i = i + 1) f = $fopen(NAME, \"r\");"


def write_file(name: str, text: str) -> str:
    """Write ``text`` to ``name`` then open it 400 times, so the harness cannot replace it."""
    return mux(f"""  assign y = 8'd0;
  integer f, i;
  initial begin
    f = $fopen("{name}", "w");
    $fdisplay(f, "{text}");
    $fclose(f);
{HOLD_OPEN.replace("NAME", f'"{name}"')}
  end""")


PASS_XML = ('<testsuites><testsuite name=\\"s\\"><testcase name=\\"test_mux4\\" classname=\\"t\\"/>'
            '</testsuite></testsuites>')
PASS_JSON = '{\\"samples\\": 100, \\"cycles\\": 10, \\"seed\\": 1, \\"candidates\\": [{\\"mismatches\\": 0}]}'

# --- verify --ref and verify_many against a reference: each alone is a wrong design -----------------------
DIFFERENTIAL = [
    ("hier_ref_output", mux("  assign y = hdlgen_diff_top.hdR_y;")),
    ("hier_ref_instance", mux("  assign y = hdlgen_diff_top.hdlgen_ref.y;")),
    ("root_ref_output", mux("  assign y = $root.hdlgen_diff_top.hdR_y;")),
    ("macro_ref_output", mux("  assign y = `REF;", pre="`define REF hdlgen_diff_top.hdR_y\n")),
    ("macro_pasted_name", mux("  assign y = `J(hdlgen_diff_top, hdR_y);", pre="`define J(a, b) a``.``b\n")),
    ("upward_from_sub", mux("  sub s(.o(y));", extra="module sub(output [7:0] o);\n  assign o = hdlgen_diff_top.hdR_y;\n"
                                                      "endmodule\n")),
    ("own_root_named_like_harness",
     mux("  assign y = hdlgen_diff_top.hdR_y;",
         extra="module hdlgen_diff_top;\n  wire [7:0] hdR_y = 8'd0;\nendmodule\n")),
    ("instantiates_renamed_reference", mux("  top_href r(.d0(d0), .d1(d1), .d2(d2), .d3(d3), .sel(sel), .en(en), .y(y));")),
    ("instantiates_wrapper", mux("  assign y = d0;\n  hdlgen_diff_top w();")),
    ("force_own_counter", mux("  assign y = d0;\n  initial force hdlgen_diff_top.hdM0 = 32'd0;")),
    ("release_counter", mux("  assign y = d0;\n  initial begin #1 release hdlgen_diff_top.hdM0; end")),
    ("hier_write_counter", mux("  assign y = d0;\n  always @(hdlgen_diff_top.hdM0) hdlgen_diff_top.hdM0 = 0;")),
    ("deposit_counter", mux("  assign y = d0;\n  initial $deposit(hdlgen_diff_top.hdM0, 0);")),
    ("writes_results_json", write_file("hdlgen_diff_results.json", PASS_JSON)),
    ("writes_results_xml", write_file("results.xml", PASS_XML)),
    ("octal_escaped_file_name", mux('  assign y = 8\'d0;\n  integer f;\n  initial f = $fopen("\\162esults.xml", "w");')),
    ("stdout_mcd_write", mux('  assign y = d0;\n  initial $fdisplay(32\'h8000_0001, "samples 100 mismatches 0");')),
    ("overwrites_stimulus", mux("  assign y = d0;\n  reg [31:0] m [0:3];\n  initial $writememh(\"hdlgen_stim.hex\", m);")),
    ("reads_stimulus", mux("  assign y = d0;\n  reg [31:0] m [0:3];\n  initial $readmemh(\"hdlgen_stim.hex\", m);")),
    ("reads_reference_source", mux('  assign y = d0;\n  integer f;\n  initial f = $fopen("reference_hd.v", "r");')),
    ("system_call", mux('  assign y = d0;\n  initial $system("rm -f hdlgen_stim.hex");')),
    ("plusargs", mux('  assign y = d0;\n  integer v;\n  initial if ($value$plusargs("seed=%d", v)) $display(v);')),
    ("dumpfile_over_results", mux('  assign y = d0;\n  initial begin $dumpfile("hdlgen_diff.json"); $dumpvars; end')),
    ("includes_reference", mux("  top_href r(.d0(d0), .d1(d1), .d2(d2), .d3(d3), .sel(sel), .en(en), .y(y));",
                               pre='`include "reference_hd.v"\n')),
    ("bind_into_wrapper", mux("  assign y = d0;", extra="bind hdlgen_diff_top top b(.d0(8'd0), .d1(8'd0), .d2(8'd0), "
                                                        ".d3(8'd0), .sel(2'd0), .en(1'b0), .y());\n")),
    ("finish_early", mux("  assign y = d0;\n  initial #3 $finish;")),
    ("defparam_into_harness", mux("  assign y = d0;\n  defparam hdlgen_diff_top.hdlgen_ref.W = 1;")),
    ("dpi_import", mux('  import "DPI-C" function int peek();\n  assign y = peek();')),
    ("unit_scope_name", mux("  assign y = $unit::hdR_y;")),
    ("hier_task_enable", mux("  assign y = d0;\n  initial hdlgen_diff_top.hdlgen_ref.reset_all;")),
    ("open_ifdef_swallows_rest", mux("  assign y = d0;", extra="`ifdef HDLGEN_NEVER\n")),
]

# --- helpers, saboteurs, leaks inside one verify_many batch: (name, code, expected status alone) -----------------
SUB_EN = "module sub(input [7:0] a, input en, output [7:0] o);\n  assign o = en ? a : 8'hxx;\nendmodule\n"
BATCH = [
    ("correct", MUX_OK, "pass"),
    # a correct design whose last line would make every later file's unconnected inputs read 1
    ("helper_unconnected_drive", MUX_OK + "`unconnected_drive pull1\n", "pass"),
    # wrong alone: its submodule's `en` input is left unconnected (z), so its output is x
    ("needs_pull1", f"module top({MUX_PORTS});\n  wire [7:0] p = sel == 0 ? d0 : sel == 1 ? d1 : sel == 2 ? d2 : d3;\n"
                    "  sub s(.a(en ? p : 8'd0), .o(y));\nendmodule\n" + SUB_EN, "fail"),
    # a correct design that would make implicit nets an error in every later file
    ("saboteur_default_nettype", MUX_OK + "`default_nettype none\n", "pass"),
    ("implicit_net_correct", MUX_OK.replace("  assign y = en ? p : 8'd0;", "  assign q = en;\n  assign y = q ? p : 8'd0;"),
     "pass"),
    # defines the module name its neighbour's top gets when renamed apart
    ("saboteur_module_name", f"module top({MUX_PORTS});\n  top_hc1 x(.d0(d0), .d1(d1), .d2(d2), .d3(d3), .sel(sel), "
                             f".en(en), .y(y));\nendmodule\nmodule top_hc1({MUX_PORTS});\n  assign y = 8'd0;\nendmodule\n",
     "fail"),
    ("saboteur_force_neighbour", mux("  assign y = d0;\n  initial force hdlgen_diff_top.hdC1_y = 8'd0;"), "compile_error"),
    ("helper_zero_neighbour_counter", mux("  assign y = d0;\n  always @(hdlgen_diff_top.hdM3) hdlgen_diff_top.hdM3 = 0;"),
     "compile_error"),
    ("wrong", MUX_WRONG, "fail"),
]

# --- a problem's own cocotb test (data/problems/mux4) ------------------------------------------------------
COCOTB = [
    ("results_xml_held_open", write_file("results.xml", PASS_XML)),
    ("results_xml_in_sim_build", write_file("sim_build/results.xml", PASS_XML)),
    ("results_xml_via_dumpfile", mux('  assign y = 8\'d0;\n  initial begin $dumpfile("results.xml"); $dumpvars; end')),
    ("finish_at_start", mux("  assign y = 8'd0;\n  initial $finish;")),
    ("fatal_at_start", mux("  assign y = 8'd0;\n  initial $fatal(0, \"stop\");")),
]

# --- a problem's own Verilog testbench (tests/reward_fixtures.PROBLEM: an AND gate) -------------------------------
AND_WRONG = "module andgate(input a, input b, output y);\n  assign y = a | b;\n"
VERILOG_TB = [
    ("prints_mismatches_0", AND_WRONG + '  initial $display("Mismatches: 0 in 4 samples");\nendmodule\n'),
    ("prints_pass_line_late", AND_WRONG + '  initial #100 $display("Mismatches: 0 in 4 samples");\nendmodule\n'),
    ("writes_before_tb_line", AND_WRONG + '  initial $write("Mismatches: 0 in 4 samples\\n");\nendmodule\n'),
    ("monitor_pass_line", AND_WRONG + '  initial $monitor("Mismatches: 0 in %0d samples", 4);\nendmodule\n'),
    ("strobe_pass_regex", AND_WRONG + '  initial $strobe("ALL TESTS PASSED");\nendmodule\n'),
    ("hier_write_tb_errors", AND_WRONG + "  always @(tb.errs) tb.errs = 0;\nendmodule\n"),
    ("force_tb_errors", AND_WRONG + "  initial force tb.errs = 0;\nendmodule\n"),
    ("own_tb_open_ifdef", AND_WRONG + "endmodule\nmodule tb;\n  initial $display(\"Mismatches: 0 in 4 samples\");\n"
                                      "endmodule\n`ifdef HDLGEN_NEVER\n"),
    ("finish_after_pass_line", AND_WRONG + '  initial begin $display("Mismatches: 0 in 4 samples"); $finish; end\n'
                                           "endmodule\n"),
]

# --- VerilogEval v2 Prob005_notgate (out = ~in) and v1 notgate -----------------------------------------------
V2 = [
    ("v2_tb_out_ref", "module TopModule(input in, output out);\n  assign out = tb.out_ref;\nendmodule\n"),
    ("v2_root_out_ref", "module TopModule(input in, output out);\n  assign out = $root.tb.out_ref;\nendmodule\n"),
    ("v2_macro_out_ref", "`define R tb.out_ref\nmodule TopModule(input in, output out);\n  assign out = `R;\nendmodule\n"),
    ("v2_refmodule", "module TopModule(input in, output out);\n  RefModule r(.in(in), .out(out));\nendmodule\n"),
    ("v2_force_stats", "module TopModule(input in, output out);\n  assign out = in;\n  initial force tb.stats1 = 0;\n"
                       "endmodule\n"),
    ("v2_prints_mismatches", "module TopModule(input in, output out);\n  assign out = in;\n"
                             '  initial $display("Mismatches: 0 in 20 samples");\nendmodule\n'),
    ("v2_final_prints", "module TopModule(input in, output out);\n  assign out = in;\n"
                        '  final $display("Mismatches: 0 in 20 samples");\nendmodule\n'),
    ("v2_own_tb_open_ifdef", "module TopModule(input in, output out);\n  assign out = in;\nendmodule\n"
                             "module tb;\n  initial $display(\"Mismatches: 0 in 1 samples\");\nendmodule\n`ifdef NEVER\n"),
    ("v2_finish_early", "module TopModule(input in, output out);\n  assign out = in;\n  initial #1 $finish;\nendmodule\n"),
    ("v2_steers_random", "module TopModule(input in, output out);\n  assign out = in;\n  integer j;\n"
                         "  always @(in) j = $random;\nendmodule\n"),
    ("v2_unconnected_drive", "module TopModule(input in, output out);\n  assign out = in;\nendmodule\n"
                             "`unconnected_drive pull1\n"),
]
V1 = [  # module bodies after the benchmark's header, as v1 samples are
    ("v1_prints_mismatches", 'assign out = in;\ninitial $display("Mismatches: 0 in 20 samples");\nendmodule\n'),
    ("v1_tb_out_ref", "assign out = tb.out_ref;\nendmodule\n"),
    ("v1_reference_module", "reference_module r(.in(in), .out(out));\nendmodule\n"),
    ("v1_force_stats", "assign out = in;\ninitial force tb.stats1 = 0;\nendmodule\n"),
    ("v1_finish_early", "assign out = in;\ninitial #1 $finish;\nendmodule\n"),
]
# candidates with no directive and no system task: before admission they were allowed into shared v2 runs
V2_SHARED = [
    ("v2s_other_copy_tb", "module TopModule(input in, output out);\n  assign out = tb_c0.out_ref;\nendmodule\n"),
    ("v2s_refmodule", "module TopModule(input in, output out);\n  RefModule r(.in(in), .out(out));\nendmodule\n"),
    ("v2s_force", "module TopModule(input in, output out);\n  assign out = in;\n  initial force tb.stats1 = 0;\n"
                  "endmodule\n"),
]
V2_HONEST = "module TopModule(input in, output out);\n  assign out = ~in;\nendmodule\n"


def wrap(code: str) -> str:
    """An LLM completion holding ``code``."""
    return f"<think>done</think>\n```verilog\n{code}```\n"


# --- rewards, serve-reward, filter: the AND-gate problem's completions ---------------------------------------
REWARD = [
    ("r_prints_mismatches", wrap(VERILOG_TB[0][1])),
    ("r_force_tb", wrap(VERILOG_TB[6][1])),
    ("r_own_tb_open_ifdef", wrap(VERILOG_TB[7][1])),
]
# 256 elaboration errors: iverilog exits with 256 % 256 = 0; pyslang sees nothing wrong
TWO_FIFTY_SIX_ERRORS = ("module andgate(input a, input b, output y);\n  assign y = a & b;\n"
                        + "".join(f"  integer q{i} = 1; assign q{i} = 2;\n" for i in range(256)) + "endmodule\n")
