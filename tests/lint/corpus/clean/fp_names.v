// No `timescale here although another file has one; a net used before its declaration; signals named
// unused* and a Verilator lint_off region (issue 13).
module fp_late_decl (
    input  wire a,
    input  wire b,
    output wire z
);
  assign z = t2;
  wire t2 = a & b;
endmodule

module fp_unused_names (
    input  wire a,
    input  wire unused_scan_en,
    output wire y
);
  // verilator lint_off UNUSEDSIGNAL
  wire [7:0] spare_bus = {8{a}};
  // verilator lint_on UNUSEDSIGNAL
  assign y = a;
endmodule
