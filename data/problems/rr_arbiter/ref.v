module top (
    input  wire       clk,
    input  wire       rst,
    input  wire [3:0] req,
    output reg  [3:0] grant
);
    reg [1:0] last;
    reg [1:0] pick;
    reg [1:0] idx;
    reg       found;
    integer k;
    always @(*) begin
        found = 1'b0;
        pick  = last;
        for (k = 1; k <= 4; k = k + 1) begin
            idx = last + k[1:0];   // wraps around modulo 4
            if (!found && req[idx]) begin
                found = 1'b1;
                pick  = idx;
            end
        end
    end
    always @(posedge clk) begin
        if (rst) begin
            grant <= 4'd0;
            last  <= 2'd3;
        end else if (found) begin
            grant <= 4'd1 << pick;
            last  <= pick;
        end else begin
            grant <= 4'd0;
        end
    end
endmodule
