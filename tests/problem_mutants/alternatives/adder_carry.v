// Independent correct design, written from spec.md in a different style from ref.v: the test must pass it.
module top (
    input  wire [7:0] a,
    input  wire [7:0] b,
    input  wire       cin,
    output wire [7:0] sum,
    output wire       cout,
    output wire       overflow
);
    wire [8:0] c;
    assign c[0] = cin;
    genvar i;
    generate for (i = 0; i < 8; i = i + 1) begin : fa
        assign sum[i] = a[i] ^ b[i] ^ c[i];
        assign c[i + 1] = (a[i] & b[i]) | (c[i] & (a[i] ^ b[i]));
    end endgenerate
    assign cout = c[8];
    assign overflow = c[8] ^ c[7];
endmodule
