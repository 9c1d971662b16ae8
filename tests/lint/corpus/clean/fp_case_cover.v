// Cases without default that still cover every value (issue 13): no latch, no case-default.
module fp_case_cover (
    input  wire [2:0] op,
    input  wire [1:0] sel,
    input  wire [3:0] a,
    output reg  [3:0] y,
    output reg        z,
    output reg  [1:0] w,
    output reg        v
);
  localparam [1:0] ADD = 2'd0, SUB = 2'd1, AND_ = 2'd2, OR_ = 2'd3;

  // casez whose ? items cover every value
  always @* begin
    casez (op)
      3'b1??: z = 1'b1;
      3'b01?: z = a[0];
      3'b00?: z = a[1];
    endcase
  end

  // case over localparams that name every value
  always @* begin
    case (sel)
      ADD:  y = a + 4'd1;
      SUB:  y = a - 4'd1;
      AND_: y = a & 4'd5;
      OR_:  y = a | 4'd5;
    endcase
  end

  // full_case, as Verilator and synthesis read it
  always @* begin
    (* full_case *)
    case (sel)
      2'd0: w = 2'd1;
      2'd1: w = 2'd2;
    endcase
  end

  always @* begin
    case (sel)  // synopsys full_case parallel_case
      2'd0: v = 1'b1;
      2'd3: v = 1'b0;
    endcase
  end
endmodule
