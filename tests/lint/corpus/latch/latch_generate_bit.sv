// Each generate element writes only its own bit, but on one path only.
module latch_generate_bit (
    input  logic [3:0] a,
    input  logic [3:0] b,
    output logic [3:0] y
);
  for (genvar i = 0; i < 4; i++) begin : g_bit
    always_comb begin
      if (a[i]) y[i] = b[i];  // expect: latch
    end
  end
endmodule
