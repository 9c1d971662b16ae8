module sens_missing_select (
    input  wire [1:0] sel,
    input  wire [3:0] d,
    output reg        y
);
  always @(d) begin  // expect: sensitivity
    y = d[sel];
  end
endmodule
