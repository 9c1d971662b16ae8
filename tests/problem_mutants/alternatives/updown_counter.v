// Independent correct design, written from spec.md in a different style from ref.v: the test must pass it.
module top (
    input  wire       clk,
    input  wire       rst,
    input  wire       en,
    input  wire       load,
    input  wire       up,
    input  wire [7:0] d,
    output reg  [7:0] q
);
    wire [7:0] step = up ? 8'd1 : 8'hFF;
    always @(posedge clk)
        case ({rst, load, en})
            3'b100, 3'b101, 3'b110, 3'b111: q <= 0;
            3'b010, 3'b011: q <= d;
            3'b001: q <= q + step;
            default: q <= q;
        endcase
endmodule
