// Independent correct design, written from spec.md in a different style from ref.v: the test must pass it.
module top (
    input  wire       clk,
    input  wire       rst,
    input  wire       push,
    input  wire       pop,
    input  wire [7:0] din,
    output wire [7:0] top_data,
    output wire       empty,
    output wire       full,
    output reg        error
);
    reg [7:0] r0, r1, r2, r3, r4, r5, r6, r7;   // r0 is the top; shifting stack
    reg [3:0] n;
    assign top_data = r0;
    assign empty = n == 0;
    assign full = n == 8;
    always @(posedge clk) begin
        if (rst) begin n <= 0; error <= 0; end
        else begin
            error <= (push && !pop && full) || (pop && !push && empty);
            if (push && pop) begin
                r0 <= din;
                if (empty) n <= 1;
            end else if (push && !full) begin
                {r7, r6, r5, r4, r3, r2, r1, r0} <= {r6, r5, r4, r3, r2, r1, r0, din};
                n <= n + 1;
            end else if (pop && !empty) begin
                {r6, r5, r4, r3, r2, r1, r0} <= {r7, r6, r5, r4, r3, r2, r1};
                n <= n - 1;
            end
        end
    end
endmodule
