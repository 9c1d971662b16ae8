#!/usr/bin/env python3
"""Synthesize a large PyraNet-like dataset from the bundled problems, for benchmarks of ``hdlgen filter``.

Every row starts from a bundled reference (``data/problems/*/ref.v``) made unique with a few unused, randomly
named wires, then a seeded share of rows is spoiled the ways real scraped data is: exact and near duplicates,
syntax and compile breakage, functional mutants, prose without code, tiny stubs and unreadable lines.
Each row keeps the problem's reference in ``ref`` so the functional stage can run a differential check.

    python scripts/synth_dataset.py -n 100000 -o /tmp/synth.jsonl      # also .csv (PyraNet layout) or .parquet
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LEVELS = ("Basic", "Intermediate", "Advanced", "Expert")
# share of each kind of row (the rest are clean, unique rows)
MIX = {"duplicate": 0.10, "near_duplicate": 0.08, "syntax": 0.08, "compile": 0.05, "mutant": 0.08,
       "prose": 0.03, "tiny": 0.02, "malformed": 0.01}
_OPS = [(" + ", " - "), (" & ", " | "), (" | ", " & "), (" ^ ", " & "), ("==", "!="), ("<=", ">=")]


def load_problems(root: Path) -> list[dict]:
    out = []
    for d in sorted(root.iterdir()):
        pj, ref = d / "problem.json", d / "ref.v"
        if pj.is_file() and ref.is_file():
            meta = json.loads(pj.read_text())
            spec = (d / "spec.md").read_text() if (d / "spec.md").is_file() else d.name
            out.append({"name": d.name, "top": meta.get("top", "top"), "ref": ref.read_text(), "spec": spec})
    if not out:
        sys.exit(f"no problems with ref.v under {root}")
    return out


def _pad(code: str, rng: random.Random, lines: int) -> str:
    """Unused wires with random names before the last ``endmodule``: a unique row with the same behaviour."""
    extra = "".join(f"  wire [{rng.randint(1, 15)}:0] u{rng.getrandbits(40):x} = {rng.randint(0, 999)};\n"
                     for _ in range(lines))
    cut = code.rfind("endmodule")
    return code[:cut] + extra + code[cut:]


def _llm_wrap(code: str, rng: random.Random) -> str:
    if rng.random() < 0.5:
        return code
    return f"Here is the implementation.\n\n```verilog\n{code}```\n\nIt meets the specification."


def _mutate_op(code: str, rng: random.Random) -> str | None:
    for a, b in rng.sample(_OPS, len(_OPS)):
        body = code.split(");", 1)
        if len(body) == 2 and a in body[1]:
            return body[0] + ");" + body[1].replace(a, b, 1)
    return None


def make_rows(n: int, seed: int):  # noqa: ANN201 - yields dicts (or a raw malformed line as str)
    rng = random.Random(seed)
    probs = load_problems(REPO / "data" / "problems")
    clean: list[str] = []  # recent clean rows: sources of duplicates
    kinds, weights = zip(*MIX.items())
    for i in range(n):
        p = probs[rng.randrange(len(probs))]
        r = rng.random()
        kind, acc = "clean", 0.0
        for k, w in zip(kinds, weights):
            acc += w
            if r < acc:
                kind = k
                break
        base = _pad(p["ref"], rng, rng.randint(3, 8))
        code = base
        if kind == "duplicate" and clean:
            code = "// copy\n" + rng.choice(clean).replace("\n", "\n\n", 1)
        elif kind == "near_duplicate" and clean:
            src = rng.choice(clean)
            code = re.sub(r"= (\d+);", lambda m: f"= {int(m.group(1)) + 1};", src, count=1)
        elif kind == "syntax":
            code = base.replace(";", "", 1)
        elif kind == "compile":
            code = base.replace("endmodule", "  wire zz_q = undeclared_q & 1'b1;\nendmodule", 1)
        elif kind == "mutant":
            code = _mutate_op(base, rng) or base.replace("endmodule", "  wire [3:0] z = q_missing;\nendmodule", 1)
        elif kind == "prose":
            code = f"The {p['name']} module is straightforward: connect the inputs to the outputs."
        elif kind == "tiny":
            code = f"module stub_{i}; endmodule"
        elif kind == "malformed":
            yield f'{{"id": "syn{i:06d}", "code": "module broken'  # truncated JSON
            continue
        if kind == "clean":
            clean.append(code)
            if len(clean) > 200:
                clean.pop(0)
        yield {"id": f"syn{i:06d}", "code": _llm_wrap(code, rng), "top": p["top"], "ref": p["ref"],
               "description": p["spec"][:400], "rank": rng.randint(0, 20), "complexity": rng.choice(LEVELS),
               "kind": kind, "problem": p["name"]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", "--rows", type=int, default=100_000)
    ap.add_argument("-o", "--output", required=True, help=".jsonl, .csv (PyraNet layout) or .parquet")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    out = Path(args.output)
    rows = make_rows(args.rows, args.seed)
    if out.suffix == ".jsonl":
        with open(out, "w") as fh:
            for r in rows:
                fh.write((r if isinstance(r, str) else json.dumps(r)) + "\n")
    elif out.suffix == ".csv":
        with open(out, "w", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["id", "code", "description", "ref", "top"])
            for r in rows:
                if isinstance(r, str):
                    continue  # a CSV cannot hold a half JSON line
                desc = repr({"description": r["description"], "rank": r["rank"], "complexity": r["complexity"],
                             "compile_status": "Compiled"})
                w.writerow([r["id"], r["code"], desc, r["ref"], r["top"]])
    elif out.suffix == ".parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        writer, batch = None, []
        for r in rows:
            if isinstance(r, str):
                continue
            batch.append(r)
            if len(batch) == 5000:
                writer = _flush(pa, pq, writer, batch, out)
        if batch or writer is None:
            writer = _flush(pa, pq, writer, batch, out)
        writer.close()
    else:
        ap.error("output must end in .jsonl, .csv or .parquet")
    return 0


def _flush(pa, pq, writer, batch, out):  # noqa: ANN001, ANN202
    table = pa.Table.from_pylist(batch)
    writer = writer or pq.ParquetWriter(str(out), table.schema)
    writer.write_table(table)
    batch.clear()
    return writer


if __name__ == "__main__":
    raise SystemExit(main())
