module top (
    input  wire       clk,
    input  wire       rst,
    input  wire [3:0] duty,
    output wire       pwm_out,
    output wire       period_start
);
    reg [3:0] phase;
    reg [3:0] active;
    always @(posedge clk) begin
        if (rst) begin
            phase  <= 4'd0;
            active <= 4'd0;
        end else begin
            phase <= phase + 4'd1;
            if (phase == 4'd15) active <= duty;
        end
    end
    assign pwm_out      = phase < active;
    assign period_start = (phase == 4'd0);
endmodule
