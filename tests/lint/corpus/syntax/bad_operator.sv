module bad_operator (
    input  logic [3:0] a,
    output logic [3:0] y
);
  assign y = a +* 4'd1;  // expect: syntax
endmodule
