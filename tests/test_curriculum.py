"""Procedural problem families: deterministic, split by parameters, headers that match the reference's ports,
and every reference verified through the differential path (which also rejects wrong designs)."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner
from mutation import sample as mutants
from pyslang import ast, syntax

from hdlgen.cli import cli
from hdlgen.curriculum import FAMILIES, SynthError, check_references, split_of, synth
from verilog_sim import Problem, verify, verify_many


def _ports(source: str, top: str) -> list[tuple[str, str, int]]:
    """(direction, name, width) of ``top`` as pyslang elaborates it."""
    comp = ast.Compilation()
    comp.addSyntaxTree(syntax.SyntaxTree.fromText(source))
    inst = next(i for i in comp.getRoot().topInstances if i.body.definition.name == top)
    return [("in" if p.direction.name == "In" else "out", p.name, int(p.type.bitWidth)) for p in inst.body.portList]


def test_same_seed_same_problems_other_seed_other_problems():
    assert synth(30, seed=4) == synth(30, seed=4)
    assert [r["ref"] for r in synth(30, seed=4)] != [r["ref"] for r in synth(30, seed=5)]


def test_every_family_and_difficulty_is_drawn_round_robin():
    rows = synth(len(FAMILIES) * 3, seed=0)
    assert {r["family"] for r in rows} == set(FAMILIES)
    assert {r["difficulty"] for r in rows} == {"easy", "medium", "hard"}
    assert len({r["task_id"] for r in rows}) == len(rows)
    assert len({r["ref"] for r in rows}) == len(rows)  # distinct references


def test_heldout_combinations_never_appear_in_train_under_any_seed():
    def combos(split: str) -> set[str]:
        return {r["family"] + json.dumps(r["params"], sort_keys=True)
                for s in (0, 1, 2) for r in synth(150, seed=s, split=split)}

    train, held = combos("train"), combos("heldout")
    assert train and held and not train & held
    rows = synth(60, seed=9, split="heldout")
    assert all(r["split"] == "heldout" for r in rows)
    assert len({r["family"] for r in rows}) >= 8  # most families have held-out combinations
    # the split is a function of the parameters, not of names or phrasing
    assert split_of("counter", (8, "down", True, "async", "low")) == split_of("counter", (8, "down", True, "async", "low"))


def test_filters_and_errors():
    rows = synth(12, seed=1, families=["counter", "shift"], difficulty=["medium"])
    assert {r["family"] for r in rows} == {"counter", "shift"}
    plain = synth(len(FAMILIES), seed=1, naming="plain")
    assert all(re.search(r"\((input )?(\[\d+:0\] )?(a|clk)\b", r["header"]) for r in plain)
    assert [r["params"] for r in plain] != [r["params"] for r in synth(len(FAMILIES), seed=2, naming="plain")]
    with pytest.raises(SynthError, match="unknown naming"):
        synth(3, naming="fancy")
    with pytest.raises(SynthError, match="unknown family"):
        synth(3, families=["adder_tree"])
    with pytest.raises(SynthError, match="match"):
        synth(3, families=["fsm"], difficulty=["easy"])


def test_header_in_prompt_matches_the_reference_ports():
    for r in synth(len(FAMILIES) * 4, seed=2):
        assert r["prompt"].rstrip().endswith(r["header"])
        assert r["ref"].startswith(r["header"] + "\n") and r["ref"].rstrip().endswith("endmodule")
        assert r["ref"] == f"{r['header']}\n{r['body']}endmodule\n"
        declared = re.match(r"module (\w+)\(", r["header"]).group(1)
        assert declared == r["top"] == r["ref_top"]
        ports = _ports(r["ref"], r["top"])
        header_only = _ports(r["header"] + "\nendmodule\n", r["top"])
        assert ports == header_only, r["task_id"]
        for name in (p[1] for p in ports):  # the spec names every port it talks about
            if name not in ("clk", "valid", "en"):
                assert re.search(rf"\b{re.escape(name)}\b", r["prompt"].split("Module header:")[0]), (r["task_id"], name)


def test_references_pass_the_differential_check_and_wrong_designs_fail():
    rows = synth(len(FAMILIES) * 2, seed=7)
    checks = check_references(rows, seed=7)
    assert [c.status for c in checks] == ["pass"] * len(rows), [c for c in checks if c.status != "pass"]
    killed = set()
    for r in rows[:len(FAMILIES)]:  # one per family: the differential path tells a mutant from the reference
        prob = Problem.from_dict({k: v for k, v in r.items() if v is not None})
        muts = [m.code for m in mutants(r["ref"], 4, seed=1)]
        if muts and r["family"] != "encoder":  # (mutating its for loop makes designs that spin until the timeout)  # (a 2:1 mux `s ? b : a` has no operator, constant or index to mutate)
            verdicts = verify_many(prob, muts, seed=7, timeout=5)
            assert any(v.status.value != "pass" for v in verdicts), (r["task_id"], muts)
            killed.add(r["family"])
    assert len(killed) >= len(FAMILIES) - 2
    # and the header + body a model would write passes on its own
    r = rows[0]
    assert verify(Problem.from_dict({k: v for k, v in r.items() if v is not None}),
                  f"```verilog\n{r['header']}\n{r['body']}endmodule\n```", seed=1).status.value == "pass"


def test_cli_synth_writes_problem_jsonl_and_exits_by_contract(tmp_path):
    out = tmp_path / "p.jsonl"
    res = CliRunner().invoke(cli, ["problems", "synth", "-n", "4", "--seed", "3", "--family", "bitwise",
                                   "--family", "counter", "-o", str(out), "--format", "json"])
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout)
    assert summary["verified"] == 4 and summary["reference_failures"] == []
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert rows == synth(4, seed=3, families=["bitwise", "counter"])
    for r in rows:
        Problem.from_dict(r)  # the contract's problem format
    res = CliRunner().invoke(cli, ["problems", "synth", "-n", "2", "--no-verify"])
    assert res.exit_code == 0 and len(res.stdout.splitlines()) == 2
    res = CliRunner().invoke(cli, ["problems", "synth", "--family", "nope"])
    assert res.exit_code == 2 and "unknown family nope" in res.output
    res = CliRunner().invoke(cli, ["problems", "families"])
    assert res.exit_code == 0 and all(f in res.output for f in FAMILIES)
