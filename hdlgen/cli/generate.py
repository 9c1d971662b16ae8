"""``hdlgen generate``: spec in, verified RTL out (generate → verify → repair with adaptive reasoning depth)."""

from __future__ import annotations

from pathlib import Path

import click

from verilog_sim.sandbox import DEFAULT_TIMEOUT_S

from ._common import EXIT_FAILED, EXIT_OK, ToolError, emit_json, exit_with, format_option


def _load_problem(prompt: str | None, spec: str | None, problem: str | None, top: str | None):
    from verilog_sim import Problem
    from verilog_sim.problem import load

    from ..generate import problem_from_prompt

    given = [x for x in (prompt, spec, problem) if x]
    if len(given) != 1:
        raise click.UsageError("give exactly one of PROMPT, --spec FILE or --problem DIR")
    if problem:
        prob = load(problem)
    else:
        if spec:
            try:
                text = Path(spec).read_text(encoding="utf-8", errors="replace")
            except OSError as exc:
                raise ToolError(f"cannot read spec {spec}: {exc.strerror or exc}") from exc
            task_id = Path(spec).stem
        else:
            text, task_id = prompt or "", "prompt"
        if not text.strip():
            raise click.UsageError("the spec is empty")
        prob = problem_from_prompt(text, task_id)
    if top:
        prob = Problem.from_dict({**prob.to_dict(), "top": top})
    return prob


def _print_text(result, label: str) -> None:
    from .render import verdict_line

    j = result.judgement
    if j is not None:
        click.echo(f"judge: {j.level} (score {j.score:.1f}) " + "; ".join(j.reasons))
    modes = {"tests": "the problem's tests", "reference": "differential check against the reference",
             "compile-only": "syntax, compilation and lint only (no tests or reference: this does not show it is "
             "correct)"}
    click.echo(f"verification: {modes[result.mode]}")
    for a in result.attempts:
        r = a.reasoned
        cut = " (budget reached)" if r.budget_hit else ""
        click.echo(f"attempt {a.index}: depth {a.depth:<10} think {r.think_tokens}/{r.budget} tokens{cut}, "
                   f"answer {r.answer_tokens} tokens, {a.generate_seconds:.1f} s generate")
        v = a.verdict
        click.secho("  " + verdict_line(v, result.task_id), fg="green" if v.passed else "red")
        for d in v.diagnostics[:5]:
            click.echo("    " + d.format())
        if v.message and not v.passed:
            click.echo("    " + v.message[:300])


@click.command()
@click.argument("prompt", required=False)
@click.option("--spec", type=click.Path(dir_okay=False), help="Read the spec from a file (Markdown or text).")
@click.option("--problem", type=click.Path(), help="A problem directory or JSON: its tests verify each attempt.")
@click.option("--top", help="Module name the design must define (default: from the problem or the spec).")
@click.option("--model", help="Model: hub id, local directory, .gguf file, or smollm2-135m "
              "(default: $HDLGEN_MODEL, the config file, else GipAI/ReasoningV-7B).")
@click.option("--backend", type=click.Choice(["transformers", "vllm", "openai"]), default=None,
              help="Default: openai when --base-url is given, else transformers.")
@click.option("--base-url", help="OpenAI-compatible server, e.g. http://127.0.0.1:8000/v1 (vllm serve, llama-server).")
@click.option("--depth", type=click.Choice(["auto", "none", "standard", "decomposed"]), default="auto",
              show_default=True, help="Reasoning depth of the first attempt; auto asks the complexity judge.")
@click.option("--attempts", type=click.IntRange(1, 10), default=3, show_default=True,
              help="Attempts in all; each failure retries one depth deeper with the verifier's findings.")
@click.option("--think-budget", type=click.IntRange(0), default=512, show_default=True,
              help="Thinking tokens at depth standard (decomposed gets twice this); enforced while decoding.")
@click.option("--max-tokens", type=click.IntRange(16), default=1024, show_default=True, help="Tokens for the code.")
@click.option("--temperature", type=click.FloatRange(0.0), default=0.2, show_default=True)
@click.option("--seed", type=int, default=None)
@click.option("--judge", "judge_name", default="rules", show_default=True,
              help="Complexity judge: rules, or package.module:callable returning a Judgement.")
@click.option("--device", help="transformers device (default: cuda if available, else cpu).")
@click.option("--timeout", type=click.FloatRange(0.1), default=DEFAULT_TIMEOUT_S, show_default=True,
              help="Seconds for each compile and simulation.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the design here (only if verified).")
@click.option("--keep-failed", is_flag=True, help="Write -o even when verification failed (with a warning).")
@format_option
def generate(prompt: str | None, spec: str | None, problem: str | None, top: str | None, model: str | None,
             backend: str | None, base_url: str | None, depth: str, attempts: int, think_budget: int,
             max_tokens: int, temperature: float, seed: int | None, judge_name: str, device: str | None,
             timeout: float, output: str | None, keep_failed: bool, fmt: str) -> None:
    """Generate RTL for a spec with an LLM, verify every attempt, and repair on failure.

    The complexity judge picks the first attempt's reasoning depth (none, standard, decomposed); each rejected
    attempt is retried one depth deeper with the verifier's diagnostics in the prompt. With --problem the
    problem's tests judge each attempt; for a bare PROMPT or --spec only syntax, compilation and lint are checked.

    \b
    Examples:
      hdlgen generate "a 4-bit up counter with synchronous reset, module named counter" -o counter.v
      hdlgen generate --problem data/problems/mux4 --model smollm2-135m --format json
      hdlgen generate --spec fifo.md --backend openai --base-url http://127.0.0.1:8000/v1 --attempts 4

    Exit 0 when the final design passed verification, 1 when every attempt failed, 2 on usage errors or when
    the model or server cannot be used.
    """
    from ..backends import BackendError, make_backend
    from ..generate import generate_verified
    from ..reasoning.judge import load_judge

    prob = _load_problem(prompt, spec, problem, top)
    try:
        judge = load_judge(judge_name)
    except (ValueError, ImportError, AttributeError) as exc:
        raise ToolError(f"--judge {judge_name}: {exc}") from exc
    name = backend or ("openai" if base_url else "transformers")
    if base_url and name != "openai":
        raise click.UsageError("--base-url goes with --backend openai")
    try:
        be = make_backend(name, model=model, base_url=base_url, device=device)
        result = generate_verified(prob, be, depth=depth, attempts=attempts, judge=judge, think_budget=think_budget,
                                   max_answer_tokens=max_tokens, temperature=temperature, seed=seed, timeout=timeout)
    except BackendError as exc:
        raise ToolError(str(exc)) from exc
    wrote = None
    final = result.final
    if output and final and final.code and (result.passed or keep_failed):
        Path(output).write_text(final.code if final.code.endswith("\n") else final.code + "\n", encoding="utf-8")
        wrote = output
        if not result.passed:
            click.echo(f"hdlgen: warning: {output} written although verification failed "
                       f"({final.verdict.status.value})", err=True)
    elif output and not result.passed:
        click.echo(f"hdlgen: {output} not written: no attempt passed verification (use --keep-failed to write "
                   "the last attempt anyway)", err=True)
    if fmt == "json":
        emit_json({**result.to_dict(), "backend": be.describe(), "output": wrote})
    else:
        _print_text(result, prob.task_id)
        if wrote:
            click.echo(f"wrote {wrote}")
        elif not output and final and final.code and result.passed:
            click.echo(final.code.rstrip())
    exit_with(EXIT_OK if result.passed else EXIT_FAILED)
