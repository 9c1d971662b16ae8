`timescale 1ns / 1ps

module test_alu();
    reg [7:0] a;
    reg [7:0] b;
    reg [2:0] op;
    wire [7:0] r;
    reg [7:0] reference [0:7];
    reg error = 0;
    integer cnt;

    alu_lut uut(a, b, op, r);

    initial begin
        $readmemh("/home/designer/RTLLM/Miscellaneous/RISC V/alu_lut/reference.dat", reference);
        a = 8'h1c;
        b = 8'h21;
        for (cnt = 0; cnt < 8; cnt = cnt + 1) begin
            op = cnt;
            #5;
            error = error | (reference[cnt] != r);
        end
        if (error == 0)
            $display("===========Your Design Passed===========");
        else
            $display("===========Error===========");
        $finish;
    end
endmodule
