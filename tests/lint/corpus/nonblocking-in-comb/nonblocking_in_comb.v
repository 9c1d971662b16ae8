module nonblocking_in_comb (
    input  wire a,
    input  wire b,
    output reg  y
);
  always @(*) begin
    y <= a & b;  // expect: nonblocking-in-comb
  end
endmodule
