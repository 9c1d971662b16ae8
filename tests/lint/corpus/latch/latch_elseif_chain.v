module latch_elseif_chain (
    input  wire [1:0] mode,
    input  wire [3:0] a,
    input  wire [3:0] b,
    output reg  [3:0] r,
    output reg        v
);
  always @(*) begin
    v = 1'b0;
    if (mode == 2'd0) begin
      r = a;  // expect: latch
      v = 1'b1;
    end else if (mode == 2'd1) begin
      r = b;
    end
  end
endmodule
