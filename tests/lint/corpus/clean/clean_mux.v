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

module clean_mux_loop (
    input  wire [3:0] a,
    input  wire [3:0] b,
    output reg  [3:0] y,
    output reg  [3:0] z
);
  integer k;
  always @(a or b) begin
    for (k = 0; k < 4; k = k + 1)
      y[k] = a[k] & b[3-k];
  end
  always @(a) begin
    z = 4'd0;
    for (int j = 0; j < 4; j++)
      z[j] = a[j];
  end
endmodule
