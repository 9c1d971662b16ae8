// Independent correct design, written from spec.md in a different style from ref.v: the test must pass it.
module top (
    input  wire       clk,
    input  wire       we,
    input  wire [3:0] addr,
    input  wire [7:0] din,
    output reg  [7:0] dout
);
    reg [7:0] mem [0:15];
    always @(posedge clk) if (we) mem[addr] <= din;
    always @(posedge clk) dout <= mem[addr];   // samples the contents before the edge
endmodule
