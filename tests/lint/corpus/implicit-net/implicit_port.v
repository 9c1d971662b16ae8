module implicit_port_child (
    input  wire i,
    output wire o
);
  assign o = ~i;
endmodule

module implicit_port (
    input  wire a,
    output wire y
);
  implicit_port_child u0 (.i(a), .o(mid));  // expect: implicit-net
  assign y = mid;
endmodule
