// Reported as latches before issue 13; none of these blocks holds state.
typedef struct packed {
  logic [3:0] hi;
  logic [3:0] lo;
} fp_pair_t;

module fp_latch_parts #(
    parameter int FAST = 1,
    parameter int N = 4
) (
    input  logic [N-1:0] a,
    input  logic [N-1:0] b,
    output logic [  7:0] parts,
    output logic [N-1:0] per_elem,
    output fp_pair_t     pair,
    output logic [  3:0] sum,
    output logic [  3:0] mode
);
  // a vector written in parts by two blocks
  always_comb parts[3:0] = a;
  always_comb parts[7:4] = b;

  // one bit per generate element
  for (genvar i = 0; i < N; i++) begin : g_elem
    always_comb begin
      per_elem[i] = 1'b0;
      if (a[i]) per_elem[i] = b[i];
    end
  end

  // a packed struct written field by field
  always_comb begin
    pair.hi = a;
    pair.lo = b;
  end

  // a module-scope scratch variable written before every read
  integer tmp;
  always @* begin
    sum = 4'd0;
    if (a[0]) begin
      tmp = {{28{1'b0}}, a};
      sum = tmp[3:0] ^ b;
    end
  end

  // a parameter test: synthesis keeps one branch
  always @* begin
    if (FAST == 1) mode = a;
    else if (b[0]) mode = b;
  end
endmodule
