"""``--engine ray`` on a local Ray instance gives exactly the output of the local engine."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from hdlgen.cli import cli

pytestmark = pytest.mark.slow  # starting Ray and its workers takes 20-60 s on a small shared machine


def test_ray_engine_matches_local_engine(repo, tmp_path):
    pytest.importorskip("ray.data")
    src = str(repo / "data" / "samples" / "filter_sample.jsonl")
    common = ["--functional", "--lint", "--chunk-size", "10", "--no-progress"]
    outs = {}
    for engine in ("local", "ray"):
        out, rej = tmp_path / f"{engine}.jsonl", tmp_path / f"{engine}.rej.jsonl"
        res = CliRunner().invoke(cli, ["filter", src, "-o", str(out), "--rejected", str(rej), "--engine", engine,
                                       "--workers", "2", *common])
        assert res.exit_code == 0, res.output
        assert f"[{engine}]" in res.output
        outs[engine] = (out.read_bytes(), rej.read_bytes())
    assert outs["ray"] == outs["local"]
    assert outs["ray"][0].count(b"\n") == 10
