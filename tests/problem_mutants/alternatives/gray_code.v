// Independent correct design, written from spec.md in a different style from ref.v: the test must pass it.
module top (
    input  wire [7:0] bin_in,
    input  wire [7:0] gray_in,
    output wire [7:0] gray_out,
    output reg  [7:0] bin_out
);
    integer i;
    assign gray_out = {bin_in[7], bin_in[7:1] ^ bin_in[6:0]};
    always @(*) begin
        bin_out[7] = gray_in[7];
        for (i = 6; i >= 0; i = i - 1) bin_out[i] = bin_out[i + 1] ^ gray_in[i];
    end
endmodule
