module top (
    input  wire [15:0] data,
    input  wire        odd,
    output wire        parity
);
    assign parity = (^data) ^ odd;
endmodule
