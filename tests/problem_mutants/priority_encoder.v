// Bug: off-by-one loop bound, so request bit 7 is never considered for idx.
module top (
    input  wire [7:0] req,
    output reg  [2:0] idx,
    output wire       valid
);
    integer i;
    always @(*) begin
        idx = 3'd0;
        for (i = 0; i < 7; i = i + 1)
            if (req[i]) idx = i[2:0];
    end
    assign valid = |req;
endmodule
