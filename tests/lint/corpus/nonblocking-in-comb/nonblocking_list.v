module nonblocking_list (
    input  wire       sel,
    input  wire [1:0] a,
    input  wire [1:0] b,
    output reg  [1:0] y
);
  always @(sel or a or b)
    if (sel) y <= a;  // expect: nonblocking-in-comb
    else y <= b;  // expect: nonblocking-in-comb
endmodule
