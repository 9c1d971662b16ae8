// Independent correct design, written from spec.md in a different style from ref.v: the test must pass it.
module top (
    input  wire       clk,
    input  wire       rst,
    input  wire [3:0] duty,
    output wire       pwm_out,
    output wire       period_start
);
    reg [3:0] p, d;
    always @(posedge clk) begin
        if (rst) begin p <= 0; d <= 0; end
        else begin p <= p + 1; if (&p) d <= duty; end
    end
    assign period_start = ~|p;
    assign pwm_out = (d > p);
endmodule
