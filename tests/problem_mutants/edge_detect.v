// Bug: wrong reset value: the stored sample resets to 1, so a low input after reset gives a false fall.
module top (
    input  wire clk,
    input  wire rst,
    input  wire sig,
    output reg  rise,
    output reg  fall
);
    reg prev;
    always @(posedge clk) begin
        if (rst) begin
            prev <= 1'b1;
            rise <= 1'b0;
            fall <= 1'b0;
        end else begin
            rise <= sig & ~prev;
            fall <= ~sig & prev;
            prev <= sig;
        end
    end
endmodule
