// Bug: load is nested under enable, so a load with en = 0 is ignored.
module top (
    input  wire       clk,
    input  wire       rst,
    input  wire       en,
    input  wire       load,
    input  wire       up,
    input  wire [7:0] d,
    output reg  [7:0] q
);
    always @(posedge clk) begin
        if (rst) q <= 8'd0;
        else if (en) begin
            if (load) q <= d;
            else      q <= up ? q + 8'd1 : q - 8'd1;
        end
    end
endmodule
