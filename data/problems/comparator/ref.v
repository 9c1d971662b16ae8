module top (
    input  wire [7:0] a,
    input  wire [7:0] b,
    input  wire       is_signed,
    output wire       lt,
    output wire       eq,
    output wire       gt
);
    wire [7:0] ax = is_signed ? (a ^ 8'h80) : a;
    wire [7:0] bx = is_signed ? (b ^ 8'h80) : b;
    assign lt = ax < bx;
    assign eq = a == b;
    assign gt = ax > bx;
endmodule
