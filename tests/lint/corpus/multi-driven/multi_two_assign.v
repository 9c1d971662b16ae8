module multi_two_assign (
    input  wire a,
    input  wire b,
    output wire y
);
  assign y = a;
  assign y = b;  // expect: multi-driven
endmodule
