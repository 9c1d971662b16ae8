// Independent correct design, written from spec.md in a different style from ref.v: the test must pass it.
module top #(
    parameter CLKS_PER_BIT = 4
) (
    input  wire       clk,
    input  wire       rst_n,
    input  wire       rx,
    output reg  [7:0] data,
    output reg        valid,
    output reg        frame_err
);
    localparam IDLE = 0, START = 1, BITS = 2, STOP = 3;
    reg [1:0] st;
    reg [7:0] cnt;
    reg [3:0] k;
    reg [7:0] sh;
    always @(posedge clk or negedge rst_n) begin
        if (!rst_n) begin st <= IDLE; cnt <= 0; k <= 0; sh <= 0; data <= 0; valid <= 0; frame_err <= 0; end
        else begin
            valid <= 0; frame_err <= 0;
            case (st)
                IDLE: if (!rx) begin st <= START; cnt <= 1; end
                START: if (cnt == CLKS_PER_BIT/2) begin
                           if (rx) st <= IDLE; else begin st <= BITS; cnt <= 1; k <= 0; end
                       end else cnt <= cnt + 1;
                BITS: if (cnt == CLKS_PER_BIT) begin
                          sh[k[2:0]] <= rx; cnt <= 1;
                          if (k == 7) st <= STOP; else k <= k + 1;
                      end else cnt <= cnt + 1;
                STOP: if (cnt == CLKS_PER_BIT) begin
                          st <= IDLE;
                          if (rx) begin data <= sh; valid <= 1; end else frame_err <= 1;
                      end else cnt <= cnt + 1;
            endcase
        end
    end
endmodule
