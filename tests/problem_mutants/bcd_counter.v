// Bug: the tens digit wraps after 10 instead of 9, so 99 is followed by "A0".
module top (
    input  wire       clk,
    input  wire       rst,
    input  wire       en,
    output reg  [3:0] ones,
    output reg  [3:0] tens,
    output wire       carry
);
    always @(posedge clk) begin
        if (rst) begin
            ones <= 4'd0;
            tens <= 4'd0;
        end else if (en) begin
            if (ones == 4'd9) begin
                ones <= 4'd0;
                tens <= (tens == 4'd10) ? 4'd0 : tens + 4'd1;
            end else begin
                ones <= ones + 4'd1;
            end
        end
    end
    assign carry = en && (ones == 4'd9) && (tens == 4'd9);
endmodule
