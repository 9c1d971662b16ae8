module trunc_proc (
    input  wire        clk,
    input  wire [15:0] d,
    output reg  [7:0]  q
);
  always @(posedge clk)
    q <= d;  // expect: width-trunc
endmodule
