module blocking_in_seq (
    input  wire       clk,
    input  wire [3:0] d,
    output reg  [3:0] q1,
    output reg  [3:0] q2
);
  always @(posedge clk) begin
    q1 = d;  // expect: blocking-in-seq
    q2 = q1;  // expect: blocking-in-seq
  end
endmodule
