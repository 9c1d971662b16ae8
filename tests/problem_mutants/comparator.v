// Bug: gt is derived as "not lt", so it is also 1 when the operands are equal.
module top (
    input  wire [7:0] a,
    input  wire [7:0] b,
    input  wire       is_signed,
    output wire       lt,
    output wire       eq,
    output wire       gt
);
    assign lt = is_signed ? ($signed(a) < $signed(b)) : (a < b);
    assign eq = a == b;
    assign gt = !lt;
endmodule
