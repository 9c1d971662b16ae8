// Bug: overflow is taken as carry-out XOR the sum's sign bit instead of the carry into the sign bit.
module top (
    input  wire [7:0] a,
    input  wire [7:0] b,
    input  wire       cin,
    output wire [7:0] sum,
    output wire       cout,
    output wire       overflow
);
    assign {cout, sum} = a + b + cin;
    assign overflow = cout ^ sum[7];
endmodule
