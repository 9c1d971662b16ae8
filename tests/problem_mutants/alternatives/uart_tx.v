// Independent correct design, written from spec.md in a different style from ref.v: the test must pass it.
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
    reg [8:0] sh;         // data bits then stop
    reg [7:0] cyc;        // cycles into the frame
    reg       active;
    assign busy = active;
    always @(posedge clk or negedge rst_n) begin
        if (!rst_n) begin
            active <= 0; tx <= 1; cyc <= 0; sh <= 0;
        end else if (!active) begin
            tx <= 1;
            if (start) begin
                active <= 1; cyc <= 0; sh <= {1'b1, data}; tx <= 0;
            end
        end else begin
            if (cyc == 10 * CLKS_PER_BIT - 1) begin
                active <= 0; tx <= 1;
            end else begin
                cyc <= cyc + 1;
                if ((cyc + 1) % CLKS_PER_BIT == 0) begin
                    tx <= sh[0];
                    sh <= sh >> 1;
                end
            end
        end
    end
endmodule
