module expand_assign (
    input  wire [3:0] a,
    output wire [7:0] y
);
  assign y = a;  // expect: width-expand
endmodule
