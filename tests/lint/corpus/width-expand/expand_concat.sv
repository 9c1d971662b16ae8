module expand_concat (
    input  logic [2:0] a,
    input  logic [2:0] b,
    output logic [7:0] y
);
  assign y = {a, b};  // expect: width-expand
endmodule
