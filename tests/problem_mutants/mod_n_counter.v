// Bug: off-by-one wrap: compares with N instead of N - 1, so it counts 0..N (N + 1 states).
module top #(
    parameter N = 12
) (
    input  wire       clk,
    input  wire       rst,
    input  wire       en,
    output reg  [3:0] count,
    output wire       tc
);
    wire at_max = (count == N);
    always @(posedge clk) begin
        if (rst)     count <= 4'd0;
        else if (en) count <= at_max ? 4'd0 : count + 4'd1;
    end
    assign tc = at_max && en;
endmodule
