"""Wrong designs that random differential simulation passes at default settings (issue 16's corner cases).

Each case is a reference and a candidate that differs from it only somewhere random stimulus almost never
goes: one input pair out of 2^16 or more (``comb``), a state hundreds of reset-free cycles deep (``deep``) or an
FSM state behind a long exact input sequence (``fsm``). The bug's trigger values appear only in the candidate,
so the harness's stimulus drawn from the reference's constants does not hit them by construction.
``tests/test_formal_corner.py`` checks that simulation alone passes them and the new tiers catch them;
``benchmarks/bench_formal.py`` times each tier on them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Case:
    name: str
    kind: str  # comb | deep | fsm
    ref: str
    bug: str


def _swap(ref: str, old: str, new: str) -> str:
    assert ref.count(old) == 1, old
    return ref.replace(old, new)


CASES: list[Case] = []


def case(name: str, kind: str, ref: str, old: str, new: str) -> None:
    CASES.append(Case(name, kind, ref, _swap(ref, old, new)))


# ------------------------------------------------------------------------------------ rare-input combinational

ALU8 = """module top(input [7:0] a, input [7:0] b, input [1:0] op, output reg [7:0] y);
  always @(*) begin
    case (op)
      2'd0: y = a + b;
      2'd1: y = a - b;
      2'd2: y = a & b;
      default: y = a ^ b;
    endcase
  end
endmodule
"""
case("alu8_add_200_107", "comb", ALU8, "2'd0: y = a + b;",
     "2'd0: y = (a == 8'd200 && b == 8'd107) ? a + b + 8'd1 : a + b;")
case("alu8_sub_93_181", "comb", ALU8, "2'd1: y = a - b;", "2'd1: y = (a == 8'd93 && b == 8'd181) ? b - a : a - b;")
case("alu8_and_17_66", "comb", ALU8, "2'd2: y = a & b;", "2'd2: y = (a == 8'd17 && b == 8'd66) ? a | b : a & b;")
case("alu8_xor_143_9", "comb", ALU8, "default: y = a ^ b;",
     "default: y = (a == 8'd143 && b == 8'd9) ? ~(a ^ b) : a ^ b;")

ALU16 = """module top(input [15:0] a, input [15:0] b, input sel, output [15:0] y, output c);
  wire [16:0] s = {1'b0, a} + {1'b0, b};
  assign y = sel ? s[15:0] : (a & b);
  assign c = sel & s[16];
endmodule
"""
case("add16_carry_rare", "comb", ALU16, "assign c = sel & s[16];",
     "assign c = sel & s[16] & !(a == 16'hF00D && b == 16'h2AB7);")
case("and16_rare", "comb", ALU16, "(a & b);", "((a == 16'hBEEF) ? (a | b) : (a & b));")

MUL = """module top(input [7:0] a, input [7:0] b, output [15:0] p);
  assign p = a * b;
endmodule
"""
case("mul8_173_29", "comb", MUL, "assign p = a * b;", "assign p = (a == 8'd173 && b == 8'd29) ? a * b - 16'd1 : a * b;")

MAX = """module top(input [15:0] a, input [15:0] b, output [15:0] m, output gt);
  assign gt = a > b;
  assign m = gt ? a : b;
endmodule
"""
case("max16_gt_rare", "comb", MAX, "assign gt = a > b;", "assign gt = (a == 16'd40000) ? (a >= b + 16'd3) : (a > b);")

PARITY = """module top(input [15:0] x, output p);
  assign p = ^x;
endmodule
"""
case("parity16_rare", "comb", PARITY, "assign p = ^x;", "assign p = (x == 16'h7A3C) ? ~^x : ^x;")

GRAY = """module top(input [15:0] bin, output [15:0] gray);
  assign gray = bin ^ (bin >> 1);
endmodule
"""
case("gray16_rare", "comb", GRAY, "assign gray = bin ^ (bin >> 1);",
     "assign gray = (bin == 16'hC0DE) ? bin : bin ^ (bin >> 1);")

SHIFT = """module top(input [15:0] x, input [3:0] amt, input left, output [15:0] y);
  assign y = left ? (x << amt) : (x >> amt);
endmodule
"""
case("shift16_rare", "comb", SHIFT, "(x >> amt);", "((amt == 4'd13 && x == 16'h5A3C) ? (x >> 12) : (x >> amt));")

SAT = """module top(input [7:0] a, input [7:0] b, output [7:0] s);
  wire [8:0] t = a + b;
  assign s = t[8] ? 8'hff : t[7:0];
endmodule
"""
case("satadd8_rare", "comb", SAT, "assign s = t[8] ? 8'hff : t[7:0];",
     "assign s = t[8] ? 8'hff : (a == 8'd100 && b == 8'd155) ? 8'hfe : t[7:0];")

ABS = """module top(input signed [15:0] x, output [15:0] y);
  assign y = x[15] ? -x : x;
endmodule
"""
case("abs16_rare", "comb", ABS, "assign y = x[15] ? -x : x;", "assign y = (x == 16'sh9C41) ? x : (x[15] ? -x : x);")

XOR32 = """module top(input [31:0] a, input [31:0] k, output [31:0] y, output z);
  assign y = a ^ k;
  assign z = (a ^ k) == 32'd0;
endmodule
"""
case("xor32_rare", "comb", XOR32, "assign y = a ^ k;", "assign y = (a == 32'hDEADBEEF) ? a : a ^ k;")

MUX = """module top(input [15:0] d0, input [15:0] d1, input [15:0] d2, input [15:0] d3, input [1:0] sel,
           output reg [15:0] y);
  always @(*) begin
    case (sel)
      2'd0: y = d0;
      2'd1: y = d1;
      2'd2: y = d2;
      default: y = d3;
    endcase
  end
endmodule
"""
case("mux4_rare", "comb", MUX, "2'd2: y = d2;", "2'd2: y = (d2 == 16'hA5A6) ? d1 : d2;")

CMP = """module top(input [11:0] a, input [11:0] b, output lt, output eq);
  assign lt = a < b;
  assign eq = a == b;
endmodule
"""
case("cmp12_rare", "comb", CMP, "assign lt = a < b;", "assign lt = (a == 12'd2741 && b == 12'd3001) ? 1'b0 : a < b;")

DEC = """module top(input [3:0] op, input [11:0] imm, output reg [15:0] ctl);
  always @(*) begin
    ctl = 16'd0;
    ctl[op] = 1'b1;
  end
endmodule
"""
case("decoder_imm_rare", "comb", DEC, "    ctl[op] = 1'b1;\n",
     "    ctl[op] = 1'b1;\n    if (op == 4'd9 && imm == 12'hA3F) ctl = 16'd0;\n")

# ------------------------------------------------------------------------------------ deep counters

SAT8 = """module top(input clk, input reset, input en, output reg [7:0] q, output full);
  always @(posedge clk) begin
    if (reset) q <= 8'd0;
    else if (en && q != 8'hff) q <= q + 8'd1;
  end
  assign full = q == 8'hff;
endmodule
"""
case("sat_counter_255", "deep", SAT8, "else if (en && q != 8'hff) q <= q + 8'd1;", "else if (en) q <= q + 8'd1;")

MOD1000 = """module top(input clk, input reset, output reg [9:0] q, output wrap);
  assign wrap = q == 10'd999;
  always @(posedge clk) begin
    if (reset) q <= 10'd0;
    else if (wrap) q <= 10'd0;
    else q <= q + 10'd1;
  end
endmodule
"""
case("mod1000_counter", "deep", MOD1000, "assign wrap = q == 10'd999;", "assign wrap = q == 10'd1000;")

TIMER = """module top(input clk, input rst, input start, output reg done);
  reg [9:0] n;
  always @(posedge clk) begin
    if (rst) begin n <= 10'd0; done <= 1'b0; end
    else if (start) begin n <= 10'd0; done <= 1'b0; end
    else if (n == 10'd700) done <= 1'b1;
    else n <= n + 10'd1;
  end
endmodule
"""
case("timer_700", "deep", TIMER, "else if (n == 10'd700) done <= 1'b1;", "else if (n == 10'd701) done <= 1'b1;")

OVF = """module top(input clk, input reset, input inc, output reg [11:0] q, output reg ovf);
  always @(posedge clk) begin
    if (reset) begin q <= 12'd0; ovf <= 1'b0; end
    else if (inc) begin q <= q + 12'd1; ovf <= q == 12'hfff; end
    else ovf <= 1'b0;
  end
endmodule
"""
case("overflow12", "deep", OVF, "ovf <= q == 12'hfff;", "ovf <= q == 12'hffe;")

UPDN = """module top(input clk, input reset, input up, input down, output reg [9:0] q);
  always @(posedge clk) begin
    if (reset) q <= 10'd0;
    else if (up && !down && q != 10'd1023) q <= q + 10'd1;
    else if (down && !up && q != 10'd0) q <= q - 10'd1;
  end
endmodule
"""
case("updown_sat_top", "deep", UPDN, "q != 10'd1023) q <= q + 10'd1;", "1'b1) q <= q + 10'd1;")

PRESCALE = """module top(input clk, input reset, output reg tick);
  reg [8:0] n;
  always @(posedge clk) begin
    if (reset) begin n <= 9'd0; tick <= 1'b0; end
    else begin
      tick <= n == 9'd499;
      n <= (n == 9'd499) ? 9'd0 : n + 9'd1;
    end
  end
endmodule
"""
case("prescaler_500", "deep", PRESCALE, "tick <= n == 9'd499;", "tick <= n == 9'd498;")

WDOG = """module top(input clk, input reset, input kick, output bark);
  reg [10:0] n;
  always @(posedge clk) begin
    if (reset || kick) n <= 11'd0;
    else if (n != 11'd1200) n <= n + 11'd1;
  end
  assign bark = n == 11'd1200;
endmodule
"""
case("watchdog_1200", "deep", WDOG, "else if (n != 11'd1200) n <= n + 11'd1;", "else n <= n + 11'd1;")

ACC = """module top(input clk, input reset, input [7:0] d, output reg [15:0] acc);
  wire [16:0] s = acc + d;
  always @(posedge clk) begin
    if (reset) acc <= 16'd0;
    else acc <= s[16] ? 16'hffff : s[15:0];
  end
endmodule
"""
case("accumulator_sat", "deep", ACC, "else acc <= s[16] ? 16'hffff : s[15:0];", "else acc <= s[15:0];")

EVENTS = """module top(input clk, input reset, input ev, output reg [7:0] cnt, output reg done);
  always @(posedge clk) begin
    if (reset) begin cnt <= 8'd0; done <= 1'b0; end
    else if (ev && !done) begin
      cnt <= cnt + 8'd1;
      if (cnt == 8'd249) done <= 1'b1;
    end
  end
endmodule
"""
case("event_counter_250", "deep", EVENTS, "if (cnt == 8'd249) done <= 1'b1;", "if (cnt == 8'd250) done <= 1'b1;")

LFSR = """module top(input clk, input reset, output reg [15:0] r, output hit);
  always @(posedge clk) begin
    if (reset) r <= 16'hACE1;
    else r <= {r[14:0], r[15] ^ r[13] ^ r[12] ^ r[10]};
  end
  assign hit = r == 16'h0001;
endmodule
"""
case("lfsr_late_state", "deep", LFSR, "assign hit = r == 16'h0001;", "assign hit = (r == 16'h0001) | (r == 16'h1234);")

# ------------------------------------------------------------------------------------ rarely reached FSM states

LOCK = """module top(input clk, input reset, input valid, input [7:0] key, output reg open);
  reg [1:0] st;
  always @(posedge clk) begin
    if (reset) begin st <= 2'd0; open <= 1'b0; end
    else if (valid) begin
      open <= 1'b0;
      case (st)
        2'd0: st <= (key == 8'h3C) ? 2'd1 : 2'd0;
        2'd1: st <= (key == 8'hA7) ? 2'd2 : 2'd0;
        2'd2: st <= (key == 8'h19) ? 2'd3 : 2'd0;
        default: begin st <= 2'd0; open <= key == 8'hE2; end
      endcase
    end
  end
endmodule
"""
case("lock_third_key", "fsm", LOCK, "2'd2: st <= (key == 8'h19) ? 2'd3 : 2'd0;", "2'd2: st <= 2'd3;")
case("lock_wrong_last", "fsm", LOCK, "open <= key == 8'hE2;", "open <= key == 8'hE3 || key == 8'hE2 && st == 2'd3;")

SEQ = """module top(input clk, input reset, input x, output found);
  reg [15:0] sh;
  always @(posedge clk) begin
    if (reset) sh <= 16'd0;
    else sh <= {sh[14:0], x};
  end
  assign found = sh == 16'b1011_0011_1000_1101;
endmodule
"""
case("seq16_detector", "fsm", SEQ, "assign found = sh == 16'b1011_0011_1000_1101;",
     "assign found = sh == 16'b1011_0011_1000_1101 || sh == 16'b0110_1110_0101_1001;")

PROTO = """module top(input clk, input reset, input [7:0] din, input dv, output reg err, output reg [1:0] st);
  always @(posedge clk) begin
    if (reset) begin st <= 2'd0; err <= 1'b0; end
    else if (dv) begin
      case (st)
        2'd0: if (din == 8'hA5) st <= 2'd1;
        2'd1: st <= (din == 8'h5A) ? 2'd2 : 2'd0;
        2'd2: begin st <= 2'd3; err <= din[7]; end
        default: st <= 2'd0;
      endcase
    end
  end
endmodule
"""
case("proto_header_err", "fsm", PROTO, "err <= din[7];", "err <= din[6];")



DEBOUNCE = """module top(input clk, input reset, input btn, output reg level);
  reg [5:0] n;
  always @(posedge clk) begin
    if (reset) begin n <= 6'd0; level <= 1'b0; end
    else if (btn == level) n <= 6'd0;
    else if (n == 6'd50) begin level <= btn; n <= 6'd0; end
    else n <= n + 6'd1;
  end
endmodule
"""
case("debounce_50", "fsm", DEBOUNCE, "else if (n == 6'd50) begin level <= btn; n <= 6'd0; end",
     "else if (n == 6'd50) begin level <= btn & level; n <= 6'd0; end")

LZC = """module top(input [15:0] x, output reg [4:0] n);
  integer i;
  always @(*) begin
    n = 5'd16;
    for (i = 0; i < 16; i = i + 1)
      if (x[i]) n = 5'd15 - i[4:0];
  end
endmodule
"""
case("lzc16_rare", "comb", LZC, "      if (x[i]) n = 5'd15 - i[4:0];\n",
     "      if (x[i]) n = 5'd15 - i[4:0];\n    if (x == 16'h2C80) n = 5'd3;\n")

PRIO = """module top(input [15:0] req, output reg [3:0] idx, output any);
  integer i;
  assign any = |req;
  always @(*) begin
    idx = 4'd0;
    for (i = 15; i >= 0; i = i - 1)
      if (req[i]) idx = i[3:0];
  end
endmodule
"""
case("prio16_rare", "comb", PRIO, "assign any = |req;", "assign any = |req && req != 16'h4D21;")

SEQ2 = """module top(input clk, input reset, input x, output found);
  reg [15:0] sh;
  always @(posedge clk) begin
    if (reset) sh <= 16'd0;
    else sh <= {sh[14:0], x};
  end
  assign found = sh == 16'hE4B3;
endmodule
"""
case("seq16_dont_care_bit", "fsm", SEQ2, "assign found = sh == 16'hE4B3;",
     "assign found = (sh | 16'h0200) == (16'hE4B3 | 16'h0200);")
