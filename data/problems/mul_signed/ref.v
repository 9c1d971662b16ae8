module top (
    input  wire [7:0]  a,
    input  wire [7:0]  b,
    input  wire        is_signed,
    output wire [15:0] p
);
    wire signed [8:0] sa = {is_signed & a[7], a};
    wire signed [8:0] sb = {is_signed & b[7], b};
    wire signed [17:0] full = sa * sb;
    assign p = full[15:0];
endmodule
