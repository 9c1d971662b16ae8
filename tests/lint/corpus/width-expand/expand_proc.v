module expand_proc (
    input  wire        clk,
    input  wire [7:0]  d,
    output reg  [15:0] q
);
  always @(posedge clk)
    q <= d;  // expect: width-expand
endmodule
