"""Training data: problems (GRPO prompts with their verification columns) and SFT records in JSONL.

GRPO rows carry ``prompt`` (chat messages in the shared reply format) plus the problem's fields, which TRL
passes to the reward functions as keyword arguments. SFT rows are ``{"prompt", "code"}`` (stage 1, knowledge)
or ``{"prompt", "reasoning", "code"}`` (stage 2, reasoning), or already-built ``messages``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from verilog_sim.jsonl import read_jsonl
from verilog_sim.problem import Problem, load_many

from .config import ConfigError

PROBLEM_COLUMNS = ("task_id", "top", "ref", "ref_top", "test", "test_kind", "test_top", "pass_regex",
                   "fail_regex", "extra_files")


def load_problems(source: str | Path, *, difficulty: Sequence[str] | str | None = None,
                  names: Sequence[str] | None = None, limit: int | None = None) -> list[Problem]:
    """Problems from a folder of problem directories (``data/problems``), one problem directory, or a JSONL
    file in the problem format; optionally only some difficulties or names (problem.json ``difficulty``)."""
    p = Path(source)
    if not p.exists():
        raise ConfigError(f"problems {p}: no such file or directory")
    problems = load_many(p)
    if isinstance(difficulty, str):
        difficulty = [difficulty]
    if difficulty:
        problems = [q for q in problems if q.meta.get("difficulty") in difficulty]
    if names:
        wanted = set(names)
        problems = [q for q in problems if q.task_id in wanted]
    if limit:
        problems = problems[:limit]
    if not problems:
        raise ConfigError(f"problems {p}: nothing selected (difficulty={difficulty}, names={names})")
    return problems


def module_header(problem: Problem) -> str | None:
    """The header of the top module (``module NAME(...);``): the problem's ``header`` field (synthesized
    problems carry one), else the first ``module TOP ... ;`` in its prompt."""
    header = problem.meta.get("header")
    if isinstance(header, str) and header.strip():
        return header.strip()
    m = re.search(rf"\bmodule\s+{re.escape(problem.top or '')}\b[^;]*;", problem.prompt or "")
    return m.group(0) if problem.top and m else None


def prefill_text(problem: Problem) -> str:
    """The start of the reply when answers are prefilled: the opening fence and the module header, so the
    model writes only the body and ``endmodule`` (the VerilogEval v1 completion style)."""
    header = module_header(problem)
    if header is None:
        raise ConfigError(f"{problem.task_id}: prompt.prefill needs the header of module {problem.top} in the prompt")
    return f"```verilog\n{header}\n"


def open_prefill_template(tok: Any) -> Any:
    """Make ``tok``'s chat template continue a final assistant message instead of closing it.

    TRL's GRPOTrainer renders every prompt with ``add_generation_prompt=True``; a stock template (ChatML,
    SmolLM2's) would close the prefilled reply and open a new one, so the model would not continue the header.
    The wrapped template renders the conversation before the final assistant message exactly as the original
    does (with its generation prompt), then that message's text, left open. Other conversations render as
    before. Idempotent; saved with the tokenizer, so later stages (GRPO after SFT) inherit it."""
    base = tok.chat_template
    if not base or "hdlgen-open-prefill" in base:
        return tok
    tok.chat_template = (
        "{#- hdlgen-open-prefill -#}{%- macro hdlgen_base(messages, add_generation_prompt) -%}" + base
        + "{%- endmacro -%}{%- if messages and messages[-1]['role'] == 'assistant' -%}"
        "{{ hdlgen_base(messages[:-1], true) }}{{ messages[-1]['content'] }}"
        "{%- else -%}{{ hdlgen_base(messages, add_generation_prompt) }}{%- endif -%}")
    return tok


def problem_messages(problem: Problem, depth: str = "standard", budget: int = 128,
                     prefill: bool = False) -> list[dict[str, str]]:
    """The chat prompt for a problem, the same one ``hdlgen generate`` sends; with ``prefill`` a final
    assistant message holds :func:`prefill_text` for the model to continue (the tokenizer's chat template must
    leave a final assistant message open, as :mod:`hdlgen.train.tiny`'s does)."""
    from hdlgen.reasoning.prompts import build_messages

    msgs = build_messages(problem.prompt, depth, top=problem.top, budget=budget)
    if prefill:
        msgs.append({"role": "assistant", "content": prefill_text(problem)})
    return msgs


def grpo_rows(problems: Iterable[Problem], depth: str = "standard", budget: int = 128,
              prefill: bool = False) -> list[dict[str, Any]]:
    """One row per problem: ``prompt`` plus the problem columns (and ``prefill``, which the rewards prepend)."""
    rows = []
    for q in problems:
        row: dict[str, Any] = {"prompt": problem_messages(q, depth, budget, prefill)}
        if prefill:
            row["prefill"] = prefill_text(q)
        for k in PROBLEM_COLUMNS:
            v = getattr(q, k)
            row[k] = json.dumps(v) if k == "extra_files" and v is not None else v
        rows.append(row)
    return rows


def grpo_dataset(problems: Sequence[Problem], depth: str = "standard", budget: int = 128, repeat: int = 1,
                 prefill: bool = False) -> Any:
    """A ``datasets.Dataset`` of prompts with their problem columns, each problem ``repeat`` times."""
    from datasets import Dataset

    return Dataset.from_list(grpo_rows(problems, depth, budget, prefill) * max(1, repeat))


def answer_text(code: str, reasoning: str | None) -> str:
    """The assistant reply in the shared format: optional think section, then one fenced answer."""
    fenced = f"```verilog\n{code.strip()}\n```"
    return f"<think>\n{reasoning.strip()}\n</think>\n{fenced}" if reasoning else fenced


def sft_record(row: dict[str, Any], *, with_reasoning: bool, where: str) -> dict[str, Any]:
    """One prompt-completion pair in chat form (TRL then trains on the completion only)."""
    if "messages" in row:
        msgs = row["messages"]
        if not msgs or msgs[-1].get("role") != "assistant":
            raise ConfigError(f"{where}: 'messages' must end with an assistant message")
        return {"prompt": msgs[:-1], "completion": [msgs[-1]]}
    if not isinstance(row.get("prompt"), str) or not isinstance(row.get("code"), str):
        raise ConfigError(f"{where}: a record needs string fields 'prompt' and 'code' (or 'messages')")
    reasoning = row.get("reasoning") if with_reasoning else None
    if with_reasoning and not reasoning:
        raise ConfigError(f"{where}: stage 2 (reasoning) records need a non-empty 'reasoning' field")
    from hdlgen.reasoning.prompts import build_messages

    prompt = build_messages(row["prompt"], "standard" if with_reasoning else "none", top=row.get("top"), budget=256)
    return {"prompt": prompt, "completion": [{"role": "assistant", "content": answer_text(row["code"], reasoning)}]}


def sft_dataset(path: str | Path, *, with_reasoning: bool) -> Any:
    """A prompt-completion ``datasets.Dataset`` from a JSONL file of SFT records."""
    from datasets import Dataset

    p = Path(path)
    if not p.is_file():
        raise ConfigError(f"SFT data {p}: no such file")
    records = [sft_record(row, with_reasoning=with_reasoning, where=where) for where, row in read_jsonl(p, ConfigError)]
    if not records:
        raise ConfigError(f"SFT data {p}: no records")
    return Dataset.from_list(records)
