"""Hostile designs and testbenches. Each must end in a clear non-pass verdict within its limit, touch nothing
outside the scratch directory, and leave the calling process alive.

Designs that try to reach outside compute ``y = a + 1`` (the correct answer) ONLY when their hostile action
succeeded, so a sandbox hole turns the verdict into ``pass`` and the test fails. Placeholders: {SECRET} a
readable secret file outside scratch, {SECRET_HEX} a hex file whose first word is 5a, {SECRET_INC} a Verilog
file defining `SECRET_OK, {OUTSIDE} a directory outside scratch that must stay empty, {UP} enough ``../`` to
reach ``/`` from any scratch directory.
"""

from __future__ import annotations

from dataclasses import dataclass

HEADER = "module TopModule(input [7:0] a, output [7:0] y);"

FAIL_LIKE = {"fail", "error"}
COMPILE = {"compile_error"}
TIMEOUT = {"timeout"}
LIMIT = {"resource_limit"}


@dataclass(frozen=True)
class Case:
    name: str
    source: str  # the candidate design, or the hostile test when ``hostile_test``
    expect: frozenset[str]
    wall_s: float = 4.0
    kind: str = "verilog"  # which harness: "verilog" testbench or "cocotb"
    hostile_test: bool = False  # the problem's test (not the design) is the attacker
    memory_mb: int | None = None


def gated(body: str, ok: str) -> str:
    return f"{HEADER}\n{body}\nassign y = ({ok}) ? a + 8'd1 : 8'd0;\nendmodule\n"


def wrong(body: str) -> str:
    return f"{HEADER}\n{body}\nassign y = 8'd0;\nendmodule\n"


def correct(body: str) -> str:
    return f"{HEADER}\n{body}\nassign y = a + 8'd1;\nendmodule\n"


def c(name: str, source: str, expect: set[str], **kw: object) -> Case:
    return Case(name, source, frozenset(expect), **kw)  # type: ignore[arg-type]


READ_FD = "integer fd; initial fd = $fopen(\"{path}\", \"r\");"
WRITE_FD = "integer fd; initial begin fd = $fopen(\"{path}\", \"{mode}\"); if (fd) begin $fdisplay(fd, \"pwned\"); $fclose(fd); end end"
READMEM = "reg [7:0] m [0:3]; initial ${task}(\"{path}\", m);"

CASES: list[Case] = [
    # --- reading outside scratch -----------------------------------------------------------------
    c("fopen_read_abs", gated(READ_FD.format(path="{SECRET}"), "fd != 0"), FAIL_LIKE),
    c("fopen_read_dotdot", gated(READ_FD.format(path="{UP}{SECRET_REL}"), "fd != 0"), FAIL_LIKE),
    c("fopen_read_etc_passwd", gated(READ_FD.format(path="/etc/passwd"), "fd != 0"), FAIL_LIKE),
    c("fopen_read_home", gated(READ_FD.format(path="/root/.bashrc"), "fd != 0"), FAIL_LIKE),
    c("fgets_secret", gated("integer fd, r; reg [8*64:1] s; initial begin fd = $fopen(\"{SECRET}\", \"r\"); "
                            "r = $fgets(s, fd); end", "r > 0"), FAIL_LIKE),
    c("readmemh_abs", gated(READMEM.format(task="readmemh", path="{SECRET_HEX}"), "m[0] == 8'h5a"), FAIL_LIKE),
    c("readmemh_dotdot", gated(READMEM.format(task="readmemh", path="{UP}{SECRET_HEX_REL}"), "m[0] == 8'h5a"),
      FAIL_LIKE),
    c("readmemb_abs", gated(READMEM.format(task="readmemb", path="{SECRET_HEX}"), "m[0] !== 8'hxx"), FAIL_LIKE),
    c("include_abs", "`include \"{SECRET_INC}\"\n" + gated("", "`SECRET_OK"), COMPILE),
    c("include_dotdot", "`include \"{UP}{SECRET_INC_REL}\"\n" + gated("", "`SECRET_OK"), COMPILE),
    c("include_dev_zero", "`include \"/dev/zero\"\n" + correct(""), COMPILE | TIMEOUT | LIMIT),
    # --- writing outside scratch -----------------------------------------------------------------
    c("fopen_write_abs", gated(WRITE_FD.format(path="{OUTSIDE}/pwned.txt", mode="w"), "fd != 0"), FAIL_LIKE),
    c("fopen_write_dotdot", gated(WRITE_FD.format(path="{UP}{OUTSIDE_REL}/pwned.txt", mode="w"), "fd != 0"),
      FAIL_LIKE),
    c("fopen_append_abs", gated(WRITE_FD.format(path="{OUTSIDE}/log.txt", mode="a"), "fd != 0"), FAIL_LIKE),
    c("fopen_write_tmp", gated(WRITE_FD.format(path="/tmp/hdlgen-adversarial-pwned.txt", mode="w"), "fd != 0"),
      FAIL_LIKE),
    c("writememh_abs", wrong("reg [7:0] m [0:3]; initial $writememh(\"{OUTSIDE}/mem.hex\", m);"), FAIL_LIKE),
    c("dumpfile_abs", wrong("initial begin $dumpfile(\"{OUTSIDE}/wave.vcd\"); $dumpvars(0); end"), FAIL_LIKE),
    c("dumpfile_dotdot", wrong("initial begin $dumpfile(\"{UP}{OUTSIDE_REL}/wave.vcd\"); $dumpvars(0); end"),
      FAIL_LIKE),
    c("system_task", wrong("initial $system(\"touch {OUTSIDE}/system.txt\");"), FAIL_LIKE | COMPILE),
    # --- runaway simulation ------------------------------------------------------------------------
    c("zero_delay_always", correct("reg t = 0; always t = ~t;"), TIMEOUT | COMPILE, wall_s=2),
    c("delta_cycle_loop", correct("reg r; initial r = 0; always @(r) r <= ~r;"), TIMEOUT, wall_s=2),
    c("forever_no_delay", correct("integer n = 0; initial forever n = n + 1;"), TIMEOUT, wall_s=2),
    c("huge_memory", correct("reg [63:0] mem [0:(1<<28)-1]; integer i; initial for (i = 0; i < (1<<28); i = i + 1) "
                             "mem[i] = i;"), LIMIT | TIMEOUT, wall_s=6, memory_mb=1024),
    c("huge_vector", correct("reg [(1<<30)-1:0] v; initial v = ~v;"), LIMIT | TIMEOUT | COMPILE, wall_s=6,
      memory_mb=1024),
    c("output_flood", correct("initial forever $display(\"flood flood flood flood flood flood flood flood\");"),
      LIMIT, wall_s=4),
    c("output_flood_slow", correct("always #1 repeat (100) $display(\"tick %0t %s\", $time, {24{\"flood\"}});"),
      LIMIT | TIMEOUT, wall_s=4),
    c("file_size_flood", correct("integer fd; initial begin fd = $fopen(\"big.txt\", \"w\"); forever "
                                 "$fdisplay(fd, \"0123456789abcdef0123456789abcdef0123456789abcdef\"); end"),
      LIMIT | TIMEOUT, wall_s=8),
    c("recursion_crash", correct("function automatic integer f(input integer n); f = f(n + 1) + 1; endfunction "
                                 "integer r; initial r = f(0);"), LIMIT | TIMEOUT | FAIL_LIKE | COMPILE, wall_s=4),
    c("fatal_in_design", correct("initial $fatal(1, \"boom\");"), FAIL_LIKE),
    c("compile_blowup", correct("genvar i; generate for (i = 0; i < 2000000; i = i + 1) begin : g wire w; end "
                                "endgenerate"), TIMEOUT | LIMIT | COMPILE, wall_s=3),
    c("macro_bomb", "\n".join(["`define A0 x"] + [f"`define A{i} `A{i - 1} `A{i - 1}" for i in range(1, 40)])
      + "\n" + correct("wire [7:0] w = `A39;"), TIMEOUT | LIMIT | COMPILE, wall_s=3),
    # --- hostile testbenches (datasets ship their own tests: they are untrusted too) ---------------
    c("tb_no_finish", "module tb; reg clk = 0; always #5 clk = ~clk; endmodule\n", TIMEOUT, wall_s=2,
      hostile_test=True),
    c("tb_reads_secret", "module tb; integer fd; initial begin fd = $fopen(\"{SECRET}\", \"r\"); "
                         "if (fd) $display(\"Mismatches: 0 in 1 samples\"); $finish; end endmodule\n",
      FAIL_LIKE, hostile_test=True),
    c("cocotb_writes_outside", "import cocotb\n@cocotb.test()\nasync def t(dut):\n"
                               "    open('{OUTSIDE}/py.txt', 'w').write('pwned')\n",
      FAIL_LIKE, kind="cocotb", hostile_test=True),
    c("cocotb_reads_secret", "import cocotb\n@cocotb.test()\nasync def t(dut):\n"
                             "    assert 'secret' not in open('{SECRET}').read()\n",
      FAIL_LIKE, kind="cocotb", hostile_test=True),
    c("cocotb_kills_parent", "import os, signal, cocotb\n@cocotb.test()\nasync def t(dut):\n"
                             "    os.kill(int('{PARENT_PID}'), signal.SIGKILL)\n    assert False\n",
      FAIL_LIKE, kind="cocotb", hostile_test=True),
    c("cocotb_network", "import socket, cocotb\n@cocotb.test()\nasync def t(dut):\n"
                        "    socket.create_connection(('127.0.0.1', 9), timeout=1)\n",
      FAIL_LIKE, kind="cocotb", hostile_test=True),
    c("cocotb_busy_loop", "import cocotb\n@cocotb.test()\nasync def t(dut):\n    while True:\n        pass\n",
      TIMEOUT, kind="cocotb", hostile_test=True, wall_s=3),
    c("cocotb_orphan_child", "import subprocess, cocotb\n@cocotb.test()\nasync def t(dut):\n"
                             "    subprocess.Popen(['sleep', '1000'])\n    assert False\n",
      FAIL_LIKE, kind="cocotb", hostile_test=True),
]
