// Independent correct design, written from spec.md in a different style from ref.v: the test must pass it.
module top (
    input  wire [7:0] din,
    input  wire [2:0] amt,
    input  wire       dir,
    output wire [7:0] dout
);
    wire [2:0] l = dir ? (3'd0 - amt) : amt;   // right by n = left by 8 - n
    wire [7:0] s1 = l[0] ? {din[6:0], din[7]} : din;
    wire [7:0] s2 = l[1] ? {s1[5:0], s1[7:6]} : s1;
    assign dout   = l[2] ? {s2[3:0], s2[7:4]} : s2;
endmodule
