// Bug: the bit counter is loaded with 7, so empty rises one clock early and d[7] is never sent.
module top (
    input  wire       clk,
    input  wire       rst,
    input  wire       load,
    input  wire [7:0] d,
    output wire       sout,
    output wire       empty
);
    reg [7:0] sr;
    reg [3:0] left;
    always @(posedge clk) begin
        if (rst) begin
            sr   <= 8'd0;
            left <= 4'd0;
        end else if (load) begin
            sr   <= d;
            left <= 4'd7;
        end else if (left != 4'd0) begin
            sr   <= sr >> 1;
            left <= left - 4'd1;
        end
    end
    assign empty = (left == 4'd0);
    assign sout  = empty ? 1'b0 : sr[0];
endmodule
