module unused_clk (
    input  wire clk,  // expect: unused
    input  wire a,
    input  wire b,
    output wire y
);
  assign y = a ^ b;
endmodule
