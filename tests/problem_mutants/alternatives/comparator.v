// Independent correct design, written from spec.md in a different style from ref.v: the test must pass it.
module top (
    input  wire [7:0] a,
    input  wire [7:0] b,
    input  wire       is_signed,
    output wire       lt,
    output wire       eq,
    output wire       gt
);
    wire signed [8:0] sa = {is_signed & a[7], a};
    wire signed [8:0] sb = {is_signed & b[7], b};
    assign lt = sa < sb;
    assign gt = sa > sb;
    assign eq = ~(lt | gt);
endmodule
