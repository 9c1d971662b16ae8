// Independent correct design, written from spec.md in a different style from ref.v: the test must pass it.
module top (
    input  wire [7:0] a,
    input  wire [7:0] b,
    input  wire [2:0] op,
    output reg  [7:0] y,
    output reg        carry,
    output wire       zero
);
    wire [8:0] sum = a + b;
    wire [15:0] sra = {{8{a[7]}}, a} >> b[2:0];
    wire [8:0] dif = {1'b0, a} + {1'b0, ~b} + 9'd1;
    always @(*) begin
        y = 0; carry = 0;
        case (op)
            0: begin y = sum[7:0]; carry = sum[8]; end
            1: begin y = dif[7:0]; carry = ~dif[8]; end
            2: y = a & b;
            3: y = a | b;
            4: y = a ^ b;
            5: y = (a[7] != b[7]) ? {7'd0, a[7]} : {7'd0, a < b};
            6: y = a << b[2:0];
            7: y = sra[7:0];
        endcase
    end
    assign zero = ~|y;
endmodule
