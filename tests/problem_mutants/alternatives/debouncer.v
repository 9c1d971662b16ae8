// Independent correct design, written from spec.md in a different style from ref.v: the test must pass it.
module top #(
    parameter STABLE = 4
) (
    input  wire clk,
    input  wire rst,
    input  wire noisy,
    output reg  clean
);
    reg [3:0] run;
    always @(posedge clk) begin
        if (rst) begin clean <= 0; run <= 0; end
        else if (noisy != clean) begin
            if (run + 1 >= STABLE) begin clean <= noisy; run <= 0; end else run <= run + 1;
        end else run <= 0;
    end
endmodule
