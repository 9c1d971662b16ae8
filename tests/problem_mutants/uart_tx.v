// Bug: data bits go out MSB first (frame assembled with the byte reversed).
module top #(
    parameter CLKS_PER_BIT = 4
) (
    input  wire       clk,
    input  wire       rst_n,
    input  wire       start,
    input  wire [7:0] data,
    output reg        tx,
    output wire       busy
);
    reg [9:0]  frame;
    reg [3:0]  bit_no;
    reg [15:0] ticks;
    assign busy = (bit_no != 4'd10);
    always @(posedge clk or negedge rst_n) begin
        if (!rst_n) begin
            tx     <= 1'b1;
            frame  <= 10'h3FF;
            bit_no <= 4'd10;
            ticks  <= 16'd0;
        end else if (!busy) begin
            if (start) begin
                frame  <= {1'b1, data[0], data[1], data[2], data[3], data[4], data[5], data[6], data[7], 1'b0};
                tx     <= 1'b0;
                bit_no <= 4'd0;
                ticks  <= 16'd0;
            end
        end else if (ticks == CLKS_PER_BIT - 1) begin
            ticks  <= 16'd0;
            bit_no <= bit_no + 4'd1;
            tx     <= (bit_no == 4'd9) ? 1'b1 : frame[bit_no + 4'd1];
        end else begin
            ticks <= ticks + 16'd1;
        end
    end
endmodule
