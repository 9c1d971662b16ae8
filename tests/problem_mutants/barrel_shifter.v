// Bug: off-by-one in the right rotation: the wrapped-around bits are shifted by 7 - amt instead of 8 - amt.
module top (
    input  wire [7:0] din,
    input  wire [2:0] amt,
    input  wire       dir,
    output wire [7:0] dout
);
    wire [7:0] left  = (din << amt) | (din >> (4'd8 - amt));
    wire [7:0] right = (din >> amt) | (din << (4'd7 - amt));
    assign dout = dir ? right : left;
endmodule
