// Bug: the reduction leaves out the most significant data bit.
module top (
    input  wire [15:0] data,
    input  wire        odd,
    output wire        parity
);
    assign parity = (^data[14:0]) ^ odd;
endmodule
