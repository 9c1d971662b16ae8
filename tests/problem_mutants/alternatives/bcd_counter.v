// Independent correct design, written from spec.md in a different style from ref.v: the test must pass it.
module top (
    input  wire       clk,
    input  wire       rst,
    input  wire       en,
    output reg  [3:0] ones,
    output reg  [3:0] tens,
    output wire       carry
);
    reg [6:0] v;
    always @(posedge clk) if (rst) v <= 0; else if (en) v <= (v == 99) ? 0 : v + 1;
    wire [6:0] t = v / 7'd10;
    wire [6:0] o = v % 7'd10;
    always @(*) begin tens = t[3:0]; ones = o[3:0]; end
    assign carry = en && v == 99;
endmodule
