module latch_case_partial (
    input  wire [1:0] sel,
    input  wire [7:0] a,
    input  wire [7:0] b,
    output reg  [7:0] y
);
  always @* begin
    case (sel)  // expect: case-default
      2'd0: y = a;  // expect: latch
      2'd1: y = b;
    endcase
  end
endmodule
