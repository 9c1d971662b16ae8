module multi_assign_always (
    input  wire [3:0] a,
    input  wire       s,
    output reg  [3:0] y
);
  always @(*) begin
    y = a;
  end
  always @(*) begin
    if (s) y[0] = 1'b0;  // expect: multi-driven, latch
  end
endmodule
