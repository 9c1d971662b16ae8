// Independent correct design, written from spec.md in a different style from ref.v: the test must pass it.
module top (
    input  wire       clk,
    input  wire       rst,
    input  wire       load,
    input  wire [7:0] d,
    output wire       sout,
    output wire       empty
);
    reg [7:0] data;
    reg [3:0] idx;   // index of the bit on sout; 8 = nothing left
    always @(posedge clk) begin
        if (rst) idx <= 8;
        else if (load) begin data <= d; idx <= 0; end
        else if (idx != 8) idx <= idx + 1;
    end
    assign empty = idx == 8;
    assign sout = empty ? 0 : data[idx[2:0]];
endmodule
