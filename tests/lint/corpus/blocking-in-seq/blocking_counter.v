module blocking_counter (
    input  wire       clk,
    input  wire       reset,
    output reg  [3:0] count
);
  always @(posedge clk) begin
    if (reset)
      count = 4'd0;  // expect: blocking-in-seq
    else
      count <= count + 4'd1;
  end
endmodule
