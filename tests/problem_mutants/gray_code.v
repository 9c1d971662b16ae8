// Bug: Gray-to-binary XORs only neighbouring bits instead of all bits above (not cumulative).
module top (
    input  wire [7:0] bin_in,
    input  wire [7:0] gray_in,
    output wire [7:0] gray_out,
    output wire [7:0] bin_out
);
    assign gray_out = bin_in ^ (bin_in >> 1);
    assign bin_out = gray_in ^ (gray_in >> 1);
endmodule
