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
    reg [9:0]  frame;   // bits still to send, LSB first: {stop, data, start}
    reg [3:0]  bit_no;  // index of the bit on tx; 10 = idle
    reg [15:0] ticks;   // cycles the current bit has lasted, minus one
    assign busy = (bit_no != 4'd10);
    always @(posedge clk or negedge rst_n) begin
        if (!rst_n) begin
            tx     <= 1'b1;
            frame  <= 10'h3FF;
            bit_no <= 4'd10;
            ticks  <= 16'd0;
        end else if (!busy) begin
            if (start) begin
                frame  <= {1'b1, data, 1'b0};
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
