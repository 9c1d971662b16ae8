// Independent correct design, written from spec.md in a different style from ref.v: the test must pass it.
module top (
    input  wire [7:0]  a,
    input  wire [7:0]  b,
    input  wire        is_signed,
    output wire [15:0] p
);
    wire neg_a = is_signed & a[7];
    wire neg_b = is_signed & b[7];
    wire [7:0] ma = neg_a ? -a : a;
    wire [7:0] mb = neg_b ? -b : b;
    wire [15:0] m = ma * mb;
    assign p = (neg_a ^ neg_b) ? -m : m;
endmodule
