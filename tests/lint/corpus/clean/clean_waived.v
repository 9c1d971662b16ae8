// Every finding in this file is waived inline; the linter must report nothing.
module clean_waived (
    input  wire       clk,
    input  wire       scan_en,  // hdlgen-lint: disable=unused
    input  wire       en,
    input  wire [3:0] d,
    output reg  [3:0] q,
    output reg  [3:0] l
);
  always @(posedge clk)
    // hdlgen-lint: disable=blocking-in-seq
    q = d;
  // hdlgen-lint: disable-start=latch,case-default
  always @(*) begin
    if (en) l = d;
  end
  // hdlgen-lint: disable-end=latch,case-default
endmodule
