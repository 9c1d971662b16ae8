module clean_alu (
    input  wire [1:0] op,
    input  wire [3:0] a,
    input  wire [3:0] b,
    input  wire       cin,
    output reg  [3:0] y,
    output wire [4:0] sum,
    output wire       cout,
    output wire [3:0] s
);
  always @(*) begin
    case (op)
      2'b00: y = a & b;
      2'b01: y = a | b;
      2'b10: y = a ^ b;
      2'b11: y = ~a;
    endcase
  end
  assign sum = a + b;
  assign {cout, s} = a + b + cin;
endmodule
