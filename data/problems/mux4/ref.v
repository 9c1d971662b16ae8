module top (
    input  wire [7:0] d0,
    input  wire [7:0] d1,
    input  wire [7:0] d2,
    input  wire [7:0] d3,
    input  wire [1:0] sel,
    input  wire       en,
    output wire [7:0] y
);
    reg [7:0] pick;
    always @(*) begin
        case (sel)
            2'd0: pick = d0;
            2'd1: pick = d1;
            2'd2: pick = d2;
            default: pick = d3;
        endcase
    end
    assign y = en ? pick : 8'd0;
endmodule
