// Independent correct design, written from spec.md in a different style from ref.v: the test must pass it.
module top (
    input  wire       clk,
    input  wire       rst,
    input  wire       en,
    input  wire       sin,
    output reg  [7:0] q,
    output reg        valid
);
    reg [7:0] ring;   // one-hot position marker
    always @(posedge clk) begin
        if (rst) begin q <= 0; valid <= 0; ring <= 8'b1; end
        else begin
            valid <= 0;
            if (en) begin
                q <= {q[6:0], sin};
                ring <= {ring[6:0], ring[7]};
                valid <= ring[7];
            end
        end
    end
endmodule
