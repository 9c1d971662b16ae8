module undriven_reg (
    input  logic clk,
    output logic q
);
  logic d;  // expect: undriven
  always_ff @(posedge clk) q <= d;
endmodule
