module casez_no_default (
    input  wire [3:0] req,
    output reg  [1:0] grant
);
  always @* begin
    grant = 2'd0;
    casez (req)  // expect: case-default
      4'b???1: grant = 2'd0;
      4'b??10: grant = 2'd1;
      4'b?100: grant = 2'd2;
      4'b1000: grant = 2'd3;
    endcase
  end
endmodule
