module full_adder(input a, input b, input c, output s, output co);
  assign s = a ^ b ^ c;
  assign co = (a & b) | (c & (a ^ b));
endmodule

module adder_4bit(input [3:0] a, input [3:0] b, input cin, output [3:0] sum, output cout);
  wire [4:0] c;
  assign c[0] = cin;
  genvar i;
  generate
    for (i = 0; i < 4; i = i + 1) begin : fa
      full_adder u(.a(a[i]), .b(b[i]), .c(c[i]), .s(sum[i]), .co(c[i + 1]));
    end
  endgenerate
  assign cout = c[4];
endmodule
