module sens_missing_one (
    input  wire a,
    input  wire b,
    input  wire c,
    output reg  y
);
  always @(a or b)  // expect: sensitivity
    y = a & b | c;
endmodule
