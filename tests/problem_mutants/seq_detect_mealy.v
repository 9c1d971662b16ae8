// Bug: a third 1 sends the machine back to "seen one 1", so 1110 is missed.
module top (
    input  wire clk,
    input  wire rst_n,
    input  wire din,
    output wire match
);
    localparam IDLE = 2'd0, ONE = 2'd1, ONEONE = 2'd2;
    reg [1:0] state;
    always @(posedge clk or negedge rst_n) begin
        if (!rst_n) state <= IDLE;
        else case (state)
            IDLE:    state <= din ? ONE : IDLE;
            ONE:     state <= din ? ONEONE : IDLE;
            ONEONE:  state <= din ? ONE : IDLE;
            default: state <= IDLE;
        endcase
    end
    assign match = (state == ONEONE) && !din;
endmodule
