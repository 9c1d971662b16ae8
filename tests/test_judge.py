"""The complexity judge: clear cases land where a designer would put them, and every decision explains itself."""

from __future__ import annotations

import json

import pytest

from hdlgen.reasoning.depth import budgets, depth_for, next_depth
from hdlgen.reasoning.judge import count_states, features, judge, load_judge

HEADER = ("I would like you to implement a module named TopModule with the following interface. All input and "
          "output ports are one bit unless otherwise specified.\n\n")


def test_constant_and_gates_are_easy():
    assert judge(HEADER + " - output zero\n\nThe module should always output a LOW.").level == "easy"
    assert judge(HEADER + " - input a\n - input b\n - output out\n\nImplement an AND gate.").level == "easy"


def test_negated_clock_is_a_combinational_cue():
    f = features("Purely combinational: no clock, no reset. y = a & b.")
    assert f["sequential_cues"] == 0 and f["combinational_cues"] >= 2


def test_a_counter_is_harder_than_a_gate():
    counter = judge(HEADER + " - input clk\n - input reset\n - output q (4 bits)\n\nA decade counter that counts 0 "
                    "through 9 on the positive edge of the clock, with active high synchronous reset to 0.")
    gate = judge(HEADER + " - input a\n - output y\n\nAn inverter.")
    assert counter.score > gate.score and counter.features["sequential_cues"] > 0


def test_fsm_with_a_state_table_and_a_protocol_is_hard():
    spec = HEADER + (" - input clk\n - input in\n - input reset\n - output done\n\nDesign a finite state machine "
                     "that receives a serial protocol: one start bit, 8 data bits, one stop bit.\n\n"
                     "  IDLE --in=0--> START\n  START --in=1--> DATA\n  DATA --in=1--> STOP\n  STOP --in=0--> IDLE\n")
    j = judge(spec)
    assert j.level == "hard"
    assert j.features["fsm"] and j.features["states"] >= 4
    assert any("protocol" in r for r in j.reasons) and any("state machine" in r for r in j.reasons)


def test_count_states_reads_lists_tables_and_numbers():
    assert count_states("The FSM has states A, B, C and D.") == 4
    assert count_states("  B (out=1) --in=0--> A\n  A (out=0) --in=1--> C\n") == 3
    assert count_states("a Moore machine with five states") == 5
    assert count_states("S0 goes to S3") == 4


def test_judgement_is_reported_whole():
    d = judge("a 32-bit FIFO memory with valid/ready handshake").to_dict()
    assert set(d) == {"level", "score", "features", "reasons", "judge"}
    assert d["features"]["max_width"] == 32 and d["features"]["memories"] == ["fifo", "memory"]
    json.dumps(d)


def test_judge_is_swappable():
    assert load_judge("rules") is judge
    assert load_judge("hdlgen.reasoning.judge:judge") is judge
    with pytest.raises(ValueError):
        load_judge("not-a-path")


def test_depth_mapping_and_escalation():
    assert [depth_for(x) for x in ("easy", "medium", "hard")] == ["none", "standard", "decomposed"]
    assert next_depth("none") == "standard" and next_depth("decomposed") == "decomposed"
    assert budgets(100) == {"none": 0, "standard": 100, "decomposed": 200}


def test_verilogeval_v2_split_is_sensible(bench_dir):
    rows = {json.loads(line)["task_id"]: json.loads(line)["prompt"]
            for line in (bench_dir / "verilog-eval-v2" / "spec-to-rtl.jsonl").open()}
    levels = {t: judge(p).level for t, p in rows.items()}
    counts = {lv: sum(1 for x in levels.values() if x == lv) for lv in ("easy", "medium", "hard")}
    assert all(c >= 15 for c in counts.values()), counts  # three real classes, not one bucket
    for t in ("Prob001_zero", "Prob014_andgate", "Prob017_mux2to1v"):
        assert levels[t] == "easy", t
    for t in ("Prob146_fsm_serialdata", "Prob150_review2015_fsmonehot", "Prob154_fsm_ps2data"):
        assert levels[t] == "hard", t
