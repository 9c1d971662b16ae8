module undriven_wire (
    input  wire [3:0] a,
    output wire [3:0] y
);
  wire [3:0] mask;  // expect: undriven
  assign y = a & mask;
endmodule
