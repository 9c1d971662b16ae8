// Bug: shifts towards the LSB (LSB-first order), so bytes come out bit-reversed.
module top (
    input  wire       clk,
    input  wire       rst,
    input  wire       en,
    input  wire       sin,
    output reg  [7:0] q,
    output reg        valid
);
    reg [2:0] bits;
    always @(posedge clk) begin
        if (rst) begin
            q     <= 8'd0;
            valid <= 1'b0;
            bits  <= 3'd0;
        end else begin
            valid <= en && (bits == 3'd7);
            if (en) begin
                q    <= {sin, q[7:1]};
                bits <= bits + 3'd1;
            end
        end
    end
endmodule
