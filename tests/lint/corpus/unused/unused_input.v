module unused_input (
    input  wire a,
    input  wire b,  // expect: unused
    output wire y
);
  assign y = ~a;
endmodule
