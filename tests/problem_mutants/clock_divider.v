// Bug: off-by-one terminal count (HALF instead of HALF - 1): each phase lasts HALF + 1 cycles.
module top #(
    parameter HALF = 3
) (
    input  wire clk,
    input  wire rst,
    output reg  clk_out,
    output wire tick
);
    reg [7:0] count;
    wire last = (count == HALF);
    always @(posedge clk) begin
        if (rst) begin
            count   <= 8'd0;
            clk_out <= 1'b0;
        end else if (last) begin
            count   <= 8'd0;
            clk_out <= ~clk_out;
        end else begin
            count <= count + 8'd1;
        end
    end
    assign tick = clk_out && last;
endmodule
