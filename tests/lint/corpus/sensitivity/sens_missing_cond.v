module sens_missing_cond (
    input  wire       en,
    input  wire [3:0] a,
    input  wire [3:0] b,
    output reg  [3:0] y
);
  always @(a, b) begin  // expect: sensitivity
    if (en) y = a;
    else y = b;
  end
endmodule
