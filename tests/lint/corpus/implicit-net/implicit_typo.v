module implicit_typo (
    input  wire       clk,
    input  wire [3:0] d,
    output reg  [3:0] q
);
  wire [3:0] d_sync;
  assign d_sync = d;
  assign d_snyc2 = d_sync[0];  // expect: implicit-net
  always @(posedge clk) q <= {d_sync[3:1], d_snyc2};
endmodule
