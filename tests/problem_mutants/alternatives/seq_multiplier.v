// Independent correct design, written from spec.md in a different style from ref.v: the test must pass it.
module top (
    input  wire        clk,
    input  wire        rst,
    input  wire        start,
    input  wire [7:0]  a,
    input  wire [7:0]  b,
    output reg  [15:0] product,
    output reg         busy,
    output reg         done
);
    // latency 3: capture, wait, finish
    reg [7:0] ra, rb;
    reg [1:0] cnt;
    always @(posedge clk) begin
        if (rst) begin
            busy <= 0; done <= 0; product <= 0; cnt <= 0;
        end else begin
            done <= 0;
            if (!busy && start) begin
                ra <= a; rb <= b; busy <= 1; cnt <= 0;
            end else if (busy) begin
                cnt <= cnt + 1;
                if (cnt == 2) begin
                    product <= ra * rb; busy <= 0; done <= 1;
                end
            end
        end
    end
endmodule
