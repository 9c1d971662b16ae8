module clean_hier_leaf (
    input  wire       clk,
    input  wire [3:0] d,
    output reg  [3:0] q
);
  reg [3:0] r = 4'd0;
  initial q = 4'd0;
  always @(posedge clk) begin
    r <= d;
    q <= r;
  end
endmodule

module clean_hier (
    input  wire       clk,
    input  wire [3:0] a,
    output wire [1:0] lo,
    output wire [1:0] hi,
    output wire [3:0] piped
);
  wire [3:0] mid;
  clean_hier_leaf u_leaf (.clk(clk), .d(a), .q(mid));
  external_block u_ext (.clk(clk), .din(mid), .dout(piped));
  assign lo = mid[1:0];
  assign hi[0] = mid[2];
  assign hi[1] = mid[3];
endmodule
