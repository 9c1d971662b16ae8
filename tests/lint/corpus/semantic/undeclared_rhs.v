module undeclared_rhs (
    input  wire a,
    output wire y
);
  assign y = a & enable;  // expect: semantic
endmodule
