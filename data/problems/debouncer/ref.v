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
        end else if (noisy == clean) begin
            count <= 8'd0;
        end else if (count == STABLE - 1) begin
            clean <= noisy;
            count <= 8'd0;
        end else begin
            count <= count + 8'd1;
        end
    end
endmodule
