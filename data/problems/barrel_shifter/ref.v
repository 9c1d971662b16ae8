module top (
    input  wire [7:0] din,
    input  wire [2:0] amt,
    input  wire       dir,
    output wire [7:0] dout
);
    wire [15:0] left  = {din, din} << amt;
    wire [15:0] right = {din, din} >> amt;
    assign dout = dir ? right[7:0] : left[15:8];
endmodule
