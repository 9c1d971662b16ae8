module nonblocking_always_comb (
    input  logic [3:0] a,
    input  logic [3:0] b,
    output logic [3:0] s,
    output logic       z
);
  always_comb begin
    s = a ^ b;
    z <= (s == 4'd0);  // expect: nonblocking-in-comb
  end
endmodule
