"""``hdlgen generate``: spec in, verified RTL out (generate → verify → repair with adaptive reasoning depth)."""

from __future__ import annotations

from pathlib import Path

import click

from verilog_sim.sandbox import DEFAULT_TIMEOUT_S

from ._common import EXIT_FAILED, EXIT_OK, ToolError, emit_json, exit_with, format_option, problem_arg


def _load_problem(prompt: str | None, spec: str | None, problem: str | None, top: str | None):
    from verilog_sim import Problem
    from verilog_sim.problem import load

    from ..generate import problem_from_prompt

    given = [x for x in (prompt, spec, problem) if x]
    if len(given) != 1:
        raise click.UsageError("give exactly one of PROMPT, --spec FILE or --problem DIR")
    if problem:
        prob = load(problem_arg(problem))
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


def _observer(attempts: int, label: str):  # noqa: ANN202 - a hdlgen.generate.Observer, imported lazily
    """Progress on stderr while the model works: each attempt's depth and budget, the reply as it is decoded
    (dimmed), and the attempt's verdict. stdout keeps the summary (or the JSON document)."""
    from ..generate import Observer
    from .render import verdict_line

    class StderrProgress(Observer):
        def __init__(self) -> None:
            self.at_line_start = True

        def attempt_started(self, index: int, total: int, depth: str, budget: int) -> None:
            think = "no thinking" if depth == "none" else f"thinking budget {budget} tokens"
            click.echo(f"attempt {index}/{total}: depth {depth} ({think}), generating:", err=True)

        def text(self, piece: str) -> None:
            click.echo(click.style(piece, dim=True), nl=False, err=True)
            self.at_line_start = piece.endswith("\n")

        def attempt_done(self, a) -> None:  # noqa: ANN001
            if not self.at_line_start:
                click.echo("", err=True)
            v = a.verdict
            click.secho(f"attempt {a.index}/{attempts}: {verdict_line(v, label)}"
                        f"  ({a.reasoned.think_tokens} think + {a.reasoned.answer_tokens} answer tokens, "
                        f"{a.generate_seconds:.1f} s generate, {a.verify_seconds:.1f} s verify)",
                        fg="green" if v.passed else "red", err=True)
            self.at_line_start = True

    return StderrProgress()


def _print_text(result, label: str, show_reply: bool = False) -> None:
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
        if show_reply and not v.passed:
            click.echo("    reply:")
            for line in r.text.rstrip().splitlines():
                click.echo("    | " + line)


def _model_label(backend) -> str:  # noqa: ANN001
    d = backend.describe()
    model = d.get("model")
    if isinstance(model, dict):
        model = model.get("name") or model.get("path") or model.get("id")
    return f"{d.get('backend')} backend" + (f", model {model}" if model else "")


@click.command()
@click.argument("prompt", required=False)
@click.option("--spec", type=click.Path(dir_okay=False), help="Read the spec from a file (Markdown or text).")
@click.option("--problem", type=click.Path(),
              help="A problem directory, JSON, or a bundled problem's name (mux4): its tests verify each attempt.")
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
@click.option("--seed", type=int, default=0, show_default=True,
              help="Sampling seed (attempt k uses SEED+k) and the differential stimulus seed; recorded in the JSON, "
                   "so a run can be repeated.")
@click.option("--judge", "judge_name", default="rules", show_default=True,
              help="Complexity judge: rules, or package.module:callable returning a Judgement.")
@click.option("--device", help="transformers device (default: cuda if available, else cpu).")
@click.option("--timeout", type=click.FloatRange(0.1), default=DEFAULT_TIMEOUT_S, show_default=True,
              help="Seconds for each compile and simulation.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the design here (only if verified).")
@click.option("--keep-failed", is_flag=True, help="Write -o even when verification failed (with a warning).")
@click.option("--show-reply", is_flag=True, help="Print the model's whole reply under each failed attempt.")
@click.option("-q", "--quiet", is_flag=True,
              help="No progress on stderr (text mode streams each attempt's reply there as it is decoded).")
@format_option
def generate(prompt: str | None, spec: str | None, problem: str | None, top: str | None, model: str | None,
             backend: str | None, base_url: str | None, depth: str, attempts: int, think_budget: int,
             max_tokens: int, temperature: float, seed: int, judge_name: str, device: str | None,
             timeout: float, output: str | None, keep_failed: bool, show_reply: bool, quiet: bool, fmt: str) -> None:
    """Generate RTL for a spec with an LLM, verify every attempt, and repair on failure.

    The complexity judge picks the first attempt's reasoning depth (none, standard, decomposed); each rejected
    attempt is retried one depth deeper with the verifier's diagnostics in the prompt. With --problem the
    problem's tests judge each attempt; for a bare PROMPT or --spec only syntax, compilation and lint are checked.

    \b
    Examples:
      hdlgen generate "a 4-bit up counter with synchronous reset, module named counter" -o counter.v
      hdlgen generate --problem mux4 --model smollm2-135m --format json
      hdlgen generate --spec fifo.md --backend openai --base-url http://127.0.0.1:8000/v1 --attempts 4

    In text mode each attempt is reported on stderr as it runs (depth, the reply as the model writes it, the
    verdict); --quiet turns that off. --seed (default 0) makes a run repeatable and is recorded in the JSON.

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
    talk = fmt == "text" and not quiet
    if talk and name != "openai":
        click.echo(f"hdlgen: loading {model or 'the default model'} ({name} backend)...", err=True)
    try:
        be = make_backend(name, model=model, base_url=base_url, device=device)
        if talk:
            click.echo(f"hdlgen: generating with {_model_label(be)}", err=True)
        observer = _observer(attempts, prob.task_id) if talk else None
        result = generate_verified(prob, be, depth=depth, attempts=attempts, judge=judge, think_budget=think_budget,
                                   max_answer_tokens=max_tokens, temperature=temperature, seed=seed, timeout=timeout,
                                   observer=observer)
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
        _print_text(result, prob.task_id, show_reply)
        if wrote:
            click.echo(f"wrote {wrote}")
        elif not output and final and final.code and result.passed:
            click.echo(final.code.rstrip())
    exit_with(EXIT_OK if result.passed else EXIT_FAILED)
