// Independent correct design, written from spec.md in a different style from ref.v: the test must pass it.
module top (
    input  wire       clk,
    input  wire       rst,
    input  wire       car,
    input  wire       ped,
    output reg  [2:0] main_light,
    output reg  [2:0] side_light,
    output reg        walk
);
    reg [3:0] st;   // one-hot
    reg [4:0] n;    // cycles lasted in the phase (1 = first)
    reg pend;
    wire req = car | ped | pend;
    always @(posedge clk) begin
        if (rst) begin st <= 4'b0001; n <= 1; pend <= 0; walk <= 0; end
        else begin
            pend <= pend | ped;
            case (1'b1)
                st[0]: if (n >= 6 && req) begin st <= 4'b0010; n <= 1; end else if (n < 31) n <= n + 1;
                st[1]: if (n == 2) begin st <= 4'b0100; n <= 1; walk <= pend | ped; pend <= 0; end else n <= n + 1;
                st[2]: if (n == 4) begin st <= 4'b1000; n <= 1; walk <= 0; end else n <= n + 1;
                st[3]: if (n == 2) begin st <= 4'b0001; n <= 1; end else n <= n + 1;
            endcase
        end
    end
    always @(*) begin
        main_light = st[0] ? 3'b001 : st[1] ? 3'b010 : 3'b100;
        side_light = st[2] ? 3'b001 : st[3] ? 3'b010 : 3'b100;
    end
endmodule
