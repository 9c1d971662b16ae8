module undriven_output (
    input  wire a,
    output wire y,
    output wire z  // expect: undriven
);
  assign y = a;
endmodule
