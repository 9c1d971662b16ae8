// Independent correct design, written from spec.md in a different style from ref.v: the test must pass it.
module top (
    input  wire [15:0] data,
    input  wire        odd,
    output wire        parity
);
    reg p; integer i;
    always @(*) begin p = odd; for (i = 0; i < 16; i = i + 1) p = p ^ data[i]; end
    assign parity = p;
endmodule
