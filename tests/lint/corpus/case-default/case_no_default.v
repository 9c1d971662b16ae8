module case_no_default (
    input  wire [2:0] op,
    input  wire [7:0] a,
    input  wire [7:0] b,
    output reg  [7:0] y
);
  always @(*) begin
    y = 8'd0;
    case (op)  // expect: case-default
      3'd0: y = a + b;
      3'd1: y = a - b;
      3'd2: y = a & b;
    endcase
  end
endmodule
