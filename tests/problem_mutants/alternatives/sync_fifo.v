// Independent correct design, written from spec.md in a different style from ref.v: the test must pass it.
module top #(
    parameter DEPTH = 8,
    parameter WIDTH = 8
) (
    input  wire             clk,
    input  wire             rst,
    input  wire             wr_en,
    input  wire [WIDTH-1:0] din,
    input  wire             rd_en,
    output wire [WIDTH-1:0] dout,
    output wire             full,
    output wire             empty,
    output wire [3:0]       count
);
    reg [WIDTH-1:0] mem [0:DEPTH-1];
    reg [3:0] wp, rp;   // one extra wrap bit
    wire [3:0] diff = wp - rp;
    assign count = diff;
    assign empty = (wp == rp);
    assign full = (diff == DEPTH);
    assign dout = mem[rp[2:0]];
    always @(posedge clk) begin
        if (rst) begin wp <= 0; rp <= 0; end
        else begin
            if (wr_en && !full) begin mem[wp[2:0]] <= din; wp <= wp + 1; end
            if (rd_en && !empty) rp <= rp + 1;
        end
    end
endmodule
