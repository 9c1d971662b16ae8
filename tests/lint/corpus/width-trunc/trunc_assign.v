module trunc_assign (
    input  wire [7:0] a,
    input  wire [7:0] b,
    output wire [7:0] sum
);
  assign sum = {1'b0, a} + {1'b0, b};  // expect: width-trunc
endmodule
