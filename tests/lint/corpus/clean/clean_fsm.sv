module clean_fsm (
    input  logic clk,
    input  logic rst,
    input  logic in,
    output logic out
);
  typedef enum logic [1:0] {S0, S1, S2, S3} state_t;
  state_t state, next;
  always_comb begin
    next = state;
    unique case (state)
      S0: if (in) next = S1;
      S1: next = in ? S2 : S0;
      S2: next = S3;
      S3: next = S0;
    endcase
  end
  always_ff @(posedge clk) begin
    if (rst) state <= S0;
    else state <= next;
  end
  assign out = (state == S3);
endmodule
