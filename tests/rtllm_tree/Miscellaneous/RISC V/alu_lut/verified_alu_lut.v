module verified_alu_lut(input [7:0] a, input [7:0] b, input [2:0] op, output reg [7:0] r);
  always @(*) begin
    case (op)
      3'd0: r = a + b;
      3'd1: r = a - b;
      3'd2: r = a & b;
      3'd3: r = a | b;
      3'd4: r = a ^ b;
      3'd5: r = a << 1;
      3'd6: r = a >> 1;
      default: r = ~a;
    endcase
  end
endmodule
