module case_fsm_next (
    input  logic       clk,
    input  logic       rst,
    input  logic       go,
    output logic       busy
);
  localparam logic [1:0] IDLE = 2'd0, RUN = 2'd1, DONE = 2'd2;
  logic [1:0] state, next;
  always_comb begin
    next = state;
    case (state)  // expect: case-default
      IDLE: if (go) next = RUN;
      RUN:  next = DONE;
      DONE: next = IDLE;
    endcase
  end
  always_ff @(posedge clk) begin
    if (rst) state <= IDLE;
    else state <= next;
  end
  assign busy = (state == RUN);
endmodule
