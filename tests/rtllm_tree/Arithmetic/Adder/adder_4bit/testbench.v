`timescale 1ns / 1ps

module testbench;
  reg [3:0] a, b;
  reg cin;
  wire [3:0] sum;
  wire cout;
  integer i, error = 0;

  adder_4bit uut (
    .a(a), .b(b), .cin(cin), .sum(sum), .cout(cout)
  );

  initial begin
    for (i = 0; i < 512; i = i + 1) begin
      {cin, a, b} = i[8:0];
      #10;
      if ({cout, sum} !== a + b + cin) begin
        error = error + 1;
        $display("Test failed: a = %d, b = %d, cin = %d, got %d", a, b, cin, {cout, sum});
      end
    end
    if (error == 0) begin
      $display("=========== Your Design Passed ===========");
    end
    else begin
      $display("=========== Test completed with %d /512 failures ===========", error);
    end
    $finish;
  end
endmodule
