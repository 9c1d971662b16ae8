// Independent correct design, written from spec.md in a different style from ref.v: the test must pass it.
module top (
    input  wire [7:0] d0,
    input  wire [7:0] d1,
    input  wire [7:0] d2,
    input  wire [7:0] d3,
    input  wire [1:0] sel,
    input  wire       en,
    output wire [7:0] y
);
    wire [7:0] lo = sel[0] ? d1 : d0;
    wire [7:0] hi = sel[0] ? d3 : d2;
    assign y = {8{en}} & (sel[1] ? hi : lo);
endmodule
