// Bug: missed edge case: no false-start check, so a short glitch on the idle line starts a frame.
module top #(
    parameter CLKS_PER_BIT = 4
) (
    input  wire       clk,
    input  wire       rst_n,
    input  wire       rx,
    output reg  [7:0] data,
    output reg        valid,
    output reg        frame_err
);
    localparam H = CLKS_PER_BIT / 2;
    reg        active;
    reg [15:0] t;
    reg [7:0]  shift;
    always @(posedge clk or negedge rst_n) begin
        if (!rst_n) begin
            active    <= 1'b0;
            t         <= 16'd0;
            shift     <= 8'd0;
            data      <= 8'd0;
            valid     <= 1'b0;
            frame_err <= 1'b0;
        end else begin
            valid     <= 1'b0;
            frame_err <= 1'b0;
            if (!active) begin
                if (!rx) begin
                    active <= 1'b1;
                    t      <= 16'd0;
                end
            end else begin
                t <= t + 16'd1;
                if (t + 1 == H) begin
                    // start bit not re-checked
                end else if (t + 1 == H + 9 * CLKS_PER_BIT) begin
                    active <= 1'b0;
                    if (rx) begin
                        data  <= shift;
                        valid <= 1'b1;
                    end else begin
                        frame_err <= 1'b1;
                    end
                end else if ((t + 1 - H) % CLKS_PER_BIT == 0) begin
                    shift <= {rx, shift[7:1]};
                end
            end
        end
    end
endmodule
