module clean_ff_locals (
    input  logic       clk,
    input  logic [7:0] din,
    output logic [3:0] parity_count
);
  always_ff @(posedge clk) begin
    automatic logic [3:0] n = '0;
    for (int i = 0; i < 8; i++) n = n + 4'(din[i]);
    parity_count <= n;
  end
endmodule
