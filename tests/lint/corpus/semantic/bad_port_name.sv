module bad_port_name_leaf (
    input  logic i,
    output logic o
);
  assign o = i;
endmodule

module bad_port_name (
    input  logic a,  // expect: unused
    output logic y
);
  bad_port_name_leaf u0 (.in(a), .o(y));  // expect: semantic
endmodule
