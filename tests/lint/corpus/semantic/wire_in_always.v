module wire_in_always (
    input  wire a,
    output wire y
);
  always @(*)
    y = a;  // expect: semantic
endmodule
