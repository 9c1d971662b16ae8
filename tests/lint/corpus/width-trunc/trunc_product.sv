module trunc_product (
    input  logic [7:0] a,
    input  logic [7:0] b,
    output logic [7:0] p
);
  logic [15:0] full;
  assign full = a * b;
  assign p = full;  // expect: width-trunc
endmodule
