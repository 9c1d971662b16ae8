module missing_semicolon (
    input  wire a,
    output wire y
);
  assign y = ~a  // expect: syntax
endmodule
