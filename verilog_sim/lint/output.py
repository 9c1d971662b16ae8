"""Render lint findings: gcc text, JSON, SARIF 2.1.0 (GitHub code scanning), GitHub workflow annotations.

Each function returns a string; printing is the CLI's job.
"""

from __future__ import annotations

import json
from collections import Counter

from ..verdict import Diagnostic
from .registry import RULES

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _hint(code: str) -> str:
    rule = RULES.get(code)
    return rule.hint if rule else ""


def summary(diags: list[Diagnostic], files: int) -> dict[str, int]:
    c = Counter(d.severity for d in diags)
    return {"files": files, "errors": c["error"], "warnings": c["warning"], "infos": c["info"]}


def to_text(diags: list[Diagnostic], files: int) -> str:
    """One gcc-style line per finding, then one hint per rule that fired, then a count."""
    lines = [d.format() for d in diags]
    seen = list(dict.fromkeys(d.code for d in diags))
    lines += [f"  hint [{code}]: {_hint(code)}" for code in seen if _hint(code)]
    s = summary(diags, files)
    lines.append(f"{s['files']} file(s): {s['errors']} error(s), {s['warnings']} warning(s), {s['infos']} info")
    return "\n".join(lines)


def to_json(diags: list[Diagnostic], files: int) -> str:
    return json.dumps({
        "summary": summary(diags, files),
        "diagnostics": [{**d.to_dict(), "hint": _hint(d.code)} for d in diags],
    })


def _escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_prop(s: str) -> str:
    return _escape_data(s).replace(":", "%3A").replace(",", "%2C")


def to_github(diags: list[Diagnostic], files: int) -> str:
    """``::error file=F,line=L,col=C,title=CODE::message`` workflow commands, one per finding."""
    level = {"error": "error", "warning": "warning", "info": "notice"}
    return "\n".join(
        f"::{level[d.severity]} file={_escape_prop(d.file)},line={d.line},col={d.col},"
        f"title={_escape_prop('hdlgen-lint ' + d.code)}::{_escape_data(d.message + ' (' + _hint(d.code) + ')')}"
        for d in diags)


def to_sarif(diags: list[Diagnostic], files: int, version: str = "0") -> str:
    """A SARIF 2.1.0 log with one run; every registered rule is described, results reference them."""
    codes = list(RULES)
    rules = [{
        "id": r.code, "name": r.code, "shortDescription": {"text": r.summary},
        "help": {"text": f"{r.summary} Fix: {r.hint}.",
                 "markdown": f"**{r.code}**: {r.summary}\n\nFix: {r.hint}." + (
                     f" Verilator reports the same as [{r.verilator}]({r.help_uri})." if r.help_uri else "")},
        **({"helpUri": r.help_uri} if r.help_uri else {}),
        "defaultConfiguration": {"level": _SARIF_LEVEL[r.severity]},
    } for r in RULES.values()]
    results = [{
        "ruleId": d.code, "ruleIndex": codes.index(d.code) if d.code in RULES else -1,
        "level": _SARIF_LEVEL[d.severity],
        "message": {"text": f"{d.message} ({_hint(d.code)})"},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": d.file.replace("\\", "/")},
            "region": {"startLine": max(d.line, 1), "startColumn": max(d.col, 1)},
        }}],
    } for d in diags]
    log = {
        "$schema": SARIF_SCHEMA, "version": "2.1.0",
        "runs": [{"tool": {"driver": {"name": "hdlgen-lint", "version": version,
                                      "rules": rules}},
                  "results": results}],
    }
    return json.dumps(log, indent=2)


FORMATS = {"text": to_text, "json": to_json, "github": to_github, "sarif": to_sarif}
