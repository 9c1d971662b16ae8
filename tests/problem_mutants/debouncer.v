// Bug: the count is not cleared when the input agrees again, so short glitches accumulate.
module top #(
    parameter STABLE = 4
) (
    input  wire clk,
    input  wire rst,
    input  wire noisy,
    output reg  clean
);
    reg [7:0] count;
    always @(posedge clk) begin
        if (rst) begin
            clean <= 1'b0;
            count <= 8'd0;
        end else if (noisy != clean) begin
            if (count == STABLE - 1) begin
                clean <= noisy;
                count <= 8'd0;
            end else begin
                count <= count + 8'd1;
            end
        end
    end
endmodule
