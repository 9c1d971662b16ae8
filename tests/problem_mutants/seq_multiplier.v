// Bug: off-by-one step count: the last partial product (multiplier bit 7) is never added.
module top (
    input  wire        clk,
    input  wire        rst,
    input  wire        start,
    input  wire [7:0]  a,
    input  wire [7:0]  b,
    output reg  [15:0] product,
    output reg         busy,
    output reg         done
);
    reg [15:0] mcand;
    reg [7:0]  mplier;
    reg [15:0] acc;
    reg [3:0]  steps;
    always @(posedge clk) begin
        done <= 1'b0;
        if (rst) begin
            busy    <= 1'b0;
            product <= 16'd0;
            steps   <= 4'd0;
        end else if (!busy) begin
            if (start) begin
                mcand  <= {8'd0, a};
                mplier <= b;
                acc    <= 16'd0;
                steps  <= 4'd0;
                busy   <= 1'b1;
            end
        end else if (steps == 4'd7) begin
            product <= acc;
            busy    <= 1'b0;
            done    <= 1'b1;
        end else begin
            acc    <= acc + (mplier[0] ? mcand : 16'd0);
            mcand  <= mcand << 1;
            mplier <= mplier >> 1;
            steps  <= steps + 4'd1;
        end
    end
endmodule
