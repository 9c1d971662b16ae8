`timescale 1ns / 1ps
// Ports wired by .name and .* to a module defined in a file not linted (issue 13): its directions are
// unknown, so nothing here is undriven; an inout pad is driven from both sides by design.
module fp_named (
    input  logic       clk,
    input  logic [7:0] din,
    output logic [7:0] dout
);
  fp_ext_ip u_ip (.clk, .din, .dout);
endmodule

module fp_star (
    input  logic       clk,
    input  logic [7:0] din,
    output logic [7:0] dout
);
  fp_ext_ip u_ip (.*);
endmodule

module fp_pad (
    input  logic clk,
    input  logic oe,
    input  logic dout,
    output logic din_q,
    inout  wire  pad
);
  assign pad = oe ? dout : 1'bz;
  always_ff @(posedge clk) din_q <= pad;
endmodule
