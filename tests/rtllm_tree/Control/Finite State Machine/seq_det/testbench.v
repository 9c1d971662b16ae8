`timescale 1ns / 1ps

module tb_seq_det();
    reg clk, rst_n, din;
    wire detected;
    integer error = 0, i;
    reg [15:0] stream = 16'b1011_0110_1101_1000;
    reg [3:0] seen;

    seq_det dut (.clk(clk), .rst_n(rst_n), .din(din), .detected(detected));

    always #5 clk = ~clk;

    initial begin
        $fsdbDumpfile("tb.fsdb");
        $fsdbDumpvars(0, tb_seq_det);
        clk = 0; rst_n = 0; din = 0; seen = 0;
        #2 rst_n = 1;
        for (i = 15; i >= 0; i = i - 1) begin
            @(negedge clk) din = stream[i];
            @(posedge clk) seen = {seen[2:0], din};
            #1 if (detected !== (seen == 4'b1011)) error = error + 1;
        end
        if (error == 0) begin
            $display("=========== Your Design Passed ===========");
        end
        else begin
            $display("=========== Your Design Failed ===========");
        end
        $finish;
    end
endmodule
