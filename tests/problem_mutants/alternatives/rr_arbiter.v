// Independent correct design, written from spec.md in a different style from ref.v: the test must pass it.
module top (
    input  wire       clk,
    input  wire       rst,
    input  wire [3:0] req,
    output reg  [3:0] grant
);
    reg [3:0] mask;   // requesters above the last granted one
    wire [3:0] hi = req & mask;
    wire [3:0] hi_g = hi & (~hi + 1);
    wire [3:0] lo_g = req & (~req + 1);
    wire [3:0] g = |hi ? hi_g : lo_g;
    always @(posedge clk) begin
        if (rst) begin grant <= 0; mask <= 4'b1111; end
        else begin
            grant <= g;
            if (|g) mask <= ~((g << 1) - 1);
        end
    end
endmodule
