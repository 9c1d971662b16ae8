module clean_mux (
    input  wire [2:0] sel,
    input  wire [7:0] d,
    input  wire       a,
    input  wire       b,
    output reg        y,
    output reg        z,
    output reg  [1:0] enc
);
  always @(sel or d) begin
    case (sel)
      3'd0: y = d[0];
      3'd1: y = d[1];
      3'd2: y = d[2];
      default: y = d[sel];
    endcase
  end
  always @(a, b) begin
    z = a;
    if (b) z = ~a;
  end
  always @* begin
    casez (d[3:0])
      4'b???1: enc = 2'd0;
      4'b??10: enc = 2'd1;
      4'b?100: enc = 2'd2;
      default: enc = 2'd3;
    endcase
  end
endmodule
