"""End to end: a team's repository uses this checkout's hooks through pre-commit.

A temporary git repository gets a ``.pre-commit-config.yaml`` whose ``repo:`` is this checkout and whose
``rev:`` is its HEAD; pre-commit clones that commit and pip-installs it into its own environment (so the
test exercises the *committed* code and ``.pre-commit-hooks.yaml``), then lints a clean and a faulty file.
Slow: the first install downloads the package's dependencies (about 90 s here with a cold pip cache).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "tests" / "lint" / "corpus"


def _git(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)


def _in_head(path: str) -> bool:
    return _git("cat-file", "-e", f"HEAD:{path}", cwd=REPO).returncode == 0


@pytest.mark.slow
def test_precommit_hooks_pass_clean_and_fail_faulty_files(tmp_path: Path) -> None:
    pre_commit = Path(sys.executable).parent / "pre-commit"
    if not shutil.which("git") or not pre_commit.exists():
        pytest.skip("needs git and pre-commit (pip install hdlgen[dev])")
    if not _in_head(".pre-commit-hooks.yaml"):
        pytest.skip("HEAD of this checkout has no .pre-commit-hooks.yaml yet (commit it first)")
    sha = _git("rev-parse", "HEAD", cwd=REPO).stdout.strip()
    hooks = ["hdlgen-lint"] + (["hdlgen-check"] if _in_head("hdlgen/cli/check.py") else [])
    work = tmp_path / "team"
    work.mkdir()
    shutil.copy(CORPUS / "clean" / "clean_counter.v", work / "good.v")
    shutil.copy(CORPUS / "latch" / "latch_if_no_else.v", work / "bad.v")
    if "hdlgen-check" in hooks:
        shutil.copy(CORPUS / "syntax" / "missing_semicolon.v", work / "broken.v")
    (work / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {REPO}\n    rev: {sha}\n    hooks:\n"
        + "".join(f"      - id: {h}\n" for h in hooks))
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "rtl"]):
        r = subprocess.run(["git", *args], cwd=work, env=env, capture_output=True, text=True)
        assert r.returncode == 0, r.stderr

    def pre_commit_run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(pre_commit), "run", *args], cwd=work, env=env, capture_output=True,
                              text=True, timeout=900)

    r = pre_commit_run("--all-files")
    out = r.stdout + r.stderr
    assert r.returncode == 1, out
    assert "bad.v:8:7: error:" in out and "[latch]" in out, out
    assert "good.v:" not in out, out
    if "hdlgen-check" in hooks:  # the syntax hook fails too, naming the broken file and line
        assert "hdlgen check" in out and "broken.v:5:" in out, out

    r = pre_commit_run("--files", "good.v")
    out = r.stdout + r.stderr
    assert r.returncode == 0, out
    assert "hdlgen lint" in out and "Passed" in out, out
