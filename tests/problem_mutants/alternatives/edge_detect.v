// Independent correct design, written from spec.md in a different style from ref.v: the test must pass it.
module top (
    input  wire clk,
    input  wire rst,
    input  wire sig,
    output reg  rise,
    output reg  fall
);
    reg s;
    always @(posedge clk) begin
        {rise, fall} <= rst ? 2'b00 : {sig & ~s, s & ~sig};
        s <= rst ? 1'b0 : sig;
    end
endmodule
