// Independent correct design, written from spec.md in a different style from ref.v: the test must pass it.
module top (
    input  wire clk,
    input  wire rst_n,
    input  wire din,
    output wire match
);
    reg [1:0] h; reg [1:0] seen;
    always @(posedge clk or negedge rst_n) if (!rst_n) begin h <= 0; seen <= 0; end
        else begin h <= {h[0], din}; if (seen != 2) seen <= seen + 1; end
    assign match = (seen == 2) && (h == 2'b11) && !din;
endmodule
