module unused_reg (
    input  logic clk,
    input  logic d,
    output logic q
);
  logic shadow;  // expect: unused
  always_ff @(posedge clk) begin
    q <= d;
    shadow <= q;
  end
endmodule
