module unbalanced_begin (
    input  wire clk,
    input  wire d,
    output reg  q
);
  always @(posedge clk) begin
    q <= d;  // expect: syntax
endmodule
