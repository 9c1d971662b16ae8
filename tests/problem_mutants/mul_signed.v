// Bug: in signed mode only a is sign-extended; b is zero-extended, so negative b is treated as b + 256.
module top (
    input  wire [7:0]  a,
    input  wire [7:0]  b,
    input  wire        is_signed,
    output wire [15:0] p
);
    wire signed [8:0] sa = {is_signed & a[7], a};
    wire signed [8:0] sb = {1'b0, b};
    wire signed [17:0] full = sa * sb;
    assign p = full[15:0];
endmodule
