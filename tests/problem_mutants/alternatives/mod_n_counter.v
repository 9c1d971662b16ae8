// Independent correct design, written from spec.md in a different style from ref.v: the test must pass it.
module top #(
    parameter N = 12
) (
    input  wire       clk,
    input  wire       rst,
    input  wire       en,
    output reg  [3:0] count,
    output wire       tc
);
    wire [4:0] nxt = count + 1;
    always @(posedge clk) if (rst) count <= 0; else if (en) count <= (nxt == N) ? 4'd0 : nxt[3:0];
    assign tc = en & (nxt == N);
endmodule
