// Independent correct design, written from spec.md in a different style from ref.v: the test must pass it.
module top #(
    parameter HALF = 3
) (
    input  wire clk,
    input  wire rst,
    output reg  clk_out,
    output wire tick
);
    reg [3:0] c;   // counts down
    always @(posedge clk) begin
        if (rst) begin c <= HALF - 1; clk_out <= 0; end
        else if (c == 0) begin c <= HALF - 1; clk_out <= ~clk_out; end
        else c <= c - 1;
    end
    assign tick = clk_out & (c == 0);
endmodule
