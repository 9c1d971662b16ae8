module seq_det(input clk, input rst_n, input din, output detected);
  reg [3:0] hist;
  always @(posedge clk or negedge rst_n)
    if (!rst_n) hist <= 4'b0000;
    else hist <= {hist[2:0], din};
  assign detected = (hist == 4'b1011);
endmodule
