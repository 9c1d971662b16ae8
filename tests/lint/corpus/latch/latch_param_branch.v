// The branch a parameter selects is the only path: here it leaves 'mode' unassigned when b[0] is 0.
module latch_param_branch #(
    parameter FAST = 0
) (
    input  wire [3:0] a,
    input  wire [3:0] b,
    output reg  [3:0] mode
);
  always @* begin
    if (FAST == 1) mode = a;
    else if (b[0]) mode = b;  // expect: latch
  end
endmodule
