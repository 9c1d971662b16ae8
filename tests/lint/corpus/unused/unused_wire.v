module unused_wire (
    input  wire [3:0] a,
    output wire [3:0] y
);
  wire [3:0] spare;  // expect: unused
  assign spare = a + 4'd1;
  assign y = a;
endmodule
