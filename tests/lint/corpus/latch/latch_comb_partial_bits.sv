module latch_comb_partial_bits (
    input  logic       a,
    input  logic       b,
    input  logic       s,
    output logic [1:0] y
);
  always_comb begin
    y[0] = a;  // expect: latch
    if (s) y[1] = b;
  end
endmodule
