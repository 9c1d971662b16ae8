// Independent correct design, written from spec.md in a different style from ref.v: the test must pass it.
module top (
    input  wire       clk,
    input  wire       we,
    input  wire [4:0] waddr,
    input  wire [7:0] wdata,
    input  wire       re,
    input  wire [4:0] raddr,
    output reg  [7:0] rdata
);
    reg [7:0] mem [0:31];
    reg [7:0] wbuf, rbuf;
    reg       hit;
    always @(posedge clk) begin
        if (we) mem[waddr] <= wdata;
        if (re) begin
            hit  <= we && (waddr == raddr);
            wbuf <= wdata;
            rbuf <= mem[raddr];
        end
    end
    always @(*) rdata = hit ? wbuf : rbuf;
endmodule
