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
        if (rst)       q <= 8'd0;
        else if (load) q <= d;
        else if (en)   q <= up ? q + 8'd1 : q - 8'd1;
    end
endmodule
