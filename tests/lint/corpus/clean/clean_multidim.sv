module clean_multidim(input logic [7:0] a, output logic [3:0][7:0] y, output logic [7:4] z, output logic [1:0] w);
  logic [7:0] mem [0:1];
  always_comb begin
    y[0] = a; y[1] = a; y[2] = a; y[3] = a;
    z[4] = 1'b0; z[7:5] = a[2:0];
    mem[0] = a; mem[1] = ~a;
    w = {mem[0][0], mem[1][0]};
  end
  always_comb begin
  end
endmodule
