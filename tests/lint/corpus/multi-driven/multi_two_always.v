module multi_two_always (
    input  wire clk,
    input  wire rst,
    input  wire d,
    output reg  q
);
  always @(posedge clk)
    q <= d;
  always @(posedge rst)
    q <= 1'b0;  // expect: multi-driven
endmodule
