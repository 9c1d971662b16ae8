module clean_loops (
    input  wire [7:0] a,
    input  wire [7:0] b,
    output reg  [7:0] rev,
    output wire [7:0] x,
    output reg  [3:0] ones
);
  integer i;
  always @(*) begin
    for (i = 0; i < 8; i = i + 1)
      rev[i] = a[7-i];
  end
  always @(*) begin
    ones = 4'd0;
    for (i = 0; i < 8; i = i + 1)
      ones = ones + {3'd0, b[i]};
  end
  genvar g;
  generate
    for (g = 0; g < 8; g = g + 1) begin : gen_x
      assign x[g] = a[g] ^ b[g];
    end
  endgenerate
endmodule
