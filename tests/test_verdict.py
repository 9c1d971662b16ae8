import json

import pytest

from verilog_sim import verdict as vd
from verilog_sim.verdict import Diagnostic, Stage, Status, Verdict


def test_verdict_json_round_trip_keeps_every_field():
    v = Verdict(Status.FAIL, Stage.COMPARE, (Diagnostic("a.v", 3, 7, "error", "x", "bad"),), vd.Tests(4, 3), 2, 100,
                1.5, {"simulator": "Icarus"}, "why", 7, {"signal": "q", "time": 10})
    d = json.loads(v.to_json())
    assert d["status"] == "fail" and d["stage"] == "compare" and d["tests"] == {"total": 4, "passed": 3}
    assert Verdict.from_dict(d) == v


def test_contract_keys_present():
    d = Verdict(Status.PASS, Stage.SIMULATE).to_dict()
    assert {"status", "stage", "diagnostics", "tests", "mismatches", "samples", "seconds", "tools"} <= set(d)


def test_diagnostic_gcc_form_and_bad_severity():
    assert Diagnostic("f.v", 1, 2, "warning", "W1", "msg").format() == "f.v:1:2: warning: msg [W1]"
    with pytest.raises(ValueError):
        Diagnostic("f.v", 1, 2, "fatal", "W1", "msg")
