// Independent correct design, written from spec.md in a different style from ref.v: the test must pass it.
module top (
    input  wire clk,
    input  wire rst,
    input  wire din,
    output wire match
);
    reg [3:0] h; reg [2:0] seen;
    always @(posedge clk) if (rst) begin h <= 0; seen <= 0; end
        else begin h <= {h[2:0], din}; if (seen != 4) seen <= seen + 1; end
    assign match = (seen == 4) && (h == 4'b1011);
endmodule
