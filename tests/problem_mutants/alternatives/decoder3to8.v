// Independent correct design, written from spec.md in a different style from ref.v: the test must pass it.
module top (
    input  wire [2:0] a,
    input  wire       en,
    output wire [7:0] y
);
    genvar i;
    generate for (i = 0; i < 8; i = i + 1) begin : g
        assign y[i] = en && (a == i);
    end endgenerate
endmodule
