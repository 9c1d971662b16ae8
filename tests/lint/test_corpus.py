"""Recall and false positives per rule on the fixture corpus (tests/lint/corpus).

Each fixture marks the lines where a finding must appear with ``// expect: CODE[, CODE]``; files under
``clean/`` mark nothing and must produce nothing. A finding on an unmarked line is a false positive of its
rule. The corpus is linted twice: all files in one compilation (as pre-commit does) and file by file.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest

from verilog_sim.lint import RULES, lint_paths

CORPUS = Path(__file__).parent / "corpus"
_EXPECT = re.compile(r"//\s*expect:\s*([\w\-, ]+)")
RULE_DIRS = sorted(p.name for p in CORPUS.iterdir() if p.is_dir() and p.name != "clean")


def corpus_files() -> list[Path]:
    return sorted(p for p in CORPUS.rglob("*") if p.suffix in (".v", ".sv"))


def expectations() -> set[tuple[str, int, str]]:
    out = set()
    for f in corpus_files():
        for no, line in enumerate(f.read_text().splitlines(), start=1):
            m = _EXPECT.search(line)
            if m:
                out |= {(str(f), no, c.strip()) for c in m.group(1).split(",") if c.strip()}
    return out


def score(found: set[tuple[str, int, str]], expected: set[tuple[str, int, str]]) -> dict[str, dict[str, int]]:
    table: dict[str, dict[str, int]] = defaultdict(lambda: {"expected": 0, "hit": 0, "false_pos": 0})
    for e in expected:
        table[e[2]]["expected"] += 1
        table[e[2]]["hit"] += e in found
    for f in found - expected:
        table[f[2]]["false_pos"] += 1
    return table


def test_every_lint_rule_has_fixtures() -> None:
    wanted = set(RULES)
    assert wanted <= set(RULE_DIRS)
    for rule in wanted:
        assert len(list((CORPUS / rule).glob("*.*v"))) >= 3, rule
    assert len(list((CORPUS / "clean").glob("*.*v"))) >= 6


@pytest.mark.parametrize("mode", ["together", "file_by_file"])
def test_recall_and_false_positives_per_rule(mode: str) -> None:
    files = [str(f) for f in corpus_files()]
    if mode == "together":
        diags = lint_paths(files)
    else:
        diags = [d for f in files for d in lint_paths([f])]
    found = {(d.file, d.line, d.code) for d in diags}
    table = score(found, expectations())
    report = "\n".join(f"{r:<20} recall {t['hit']}/{t['expected']}  false positives {t['false_pos']}"
                       for r, t in sorted(table.items()))
    print(report)
    for rule in RULES:
        t = table[rule]
        assert t["expected"] >= 3, f"{rule}: too few expectations\n{report}"
        assert t["hit"] == t["expected"], f"{rule}: missed findings\n{report}"
        assert t["false_pos"] == 0, f"{rule}: false positives\n{report}"
    assert set(table) <= set(RULES)


def test_clean_files_produce_nothing() -> None:
    clean = [str(f) for f in sorted((CORPUS / "clean").glob("*.*v"))]
    assert lint_paths(clean) == []


def test_waivers_are_what_keeps_the_waived_file_clean(tmp_path: Path) -> None:
    src = (CORPUS / "clean" / "clean_waived.v").read_text()
    stripped = re.sub(r"//\s*hdlgen-lint:[^\n]*", "", src)
    f = tmp_path / "clean_waived.v"
    f.write_text(stripped)
    codes = {d.code for d in lint_paths([str(f)])}
    assert codes == {"unused", "blocking-in-seq", "latch"}
