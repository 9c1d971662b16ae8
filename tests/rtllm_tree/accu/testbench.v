`timescale 1ns/1ps
module tb_accu;
  reg clk = 0, rst_n = 0, valid_in = 0;
  reg [7:0] data_in = 0;
  wire valid_out;
  wire [9:0] data_out;
  integer i, error = 0, outs = 0;
  reg [9:0] want [0:2];
  accu dut(.clk(clk), .rst_n(rst_n), .data_in(data_in), .valid_in(valid_in), .valid_out(valid_out),
           .data_out(data_out));
  always #5 clk = ~clk;
  always @(posedge clk) begin
    #1;
    if (valid_out) begin
      if (outs > 2 || data_out !== want[outs]) error = error + 1;
      outs = outs + 1;
    end
  end
  initial begin
    want[0] = 10'd11; want[1] = 10'd1020; want[2] = 10'd100;
    #12 rst_n = 1;
    for (i = 0; i < 14; i = i + 1) begin
      @(negedge clk);
      valid_in = (i != 3 && i != 9);
      data_in = (i < 5) ? i[7:0] + 8'd1 : (i < 10) ? 8'd255 : 8'd25;
    end
    @(negedge clk) valid_in = 0;
    #40;
    if (error == 0 && outs == 3) $display("===========Your Design Passed===========");
    else $display("===========Error=========== %0d errors, %0d outputs", error, outs);
    $finish;
  end
endmodule
