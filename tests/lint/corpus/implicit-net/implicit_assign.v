module implicit_assign (
    input  wire a,
    input  wire b,
    output wire y
);
  assign tmp = a & b;  // expect: implicit-net
  assign y = tmp;
endmodule
