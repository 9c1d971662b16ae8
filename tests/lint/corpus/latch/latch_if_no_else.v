module latch_if_no_else (
    input  wire       en,
    input  wire [3:0] d,
    output reg  [3:0] q
);
  always @(*) begin
    if (en)
      q = d;  // expect: latch
  end
endmodule
