// Bug: the enable is ignored when sel selects d3 (default branch bypasses the gate).
module top (
    input  wire [7:0] d0,
    input  wire [7:0] d1,
    input  wire [7:0] d2,
    input  wire [7:0] d3,
    input  wire [1:0] sel,
    input  wire       en,
    output reg  [7:0] y
);
    always @(*) begin
        case (sel)
            2'd0: y = en ? d0 : 8'd0;
            2'd1: y = en ? d1 : 8'd0;
            2'd2: y = en ? d2 : 8'd0;
            default: y = d3;
        endcase
    end
endmodule
