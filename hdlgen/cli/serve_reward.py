"""``hdlgen serve-reward``: the OpenRLHF remote reward protocol over HTTP (loopback by default)."""

from __future__ import annotations

import click

from ._common import ToolError, bundled_problems_dir


@click.command("serve-reward")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind. Loopback by default; anything else exposes the simulator to the network.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--problems", type=click.Path(exists=True),
              help="Problems whose task_id may be used as a label (folder of problem dirs or JSONL; default: the "
                   "bundled problems, e.g. label mux4).")
@click.option("--config", type=click.Path(dir_okay=False, exists=True),
              help="YAML with a 'rewards:' section (weights, partial credit…). Without it the reward is "
                   "1.0 x functional + 0.1 x compile + 0.2 x format + 0.1 x length.")
@click.option("--max-request-mb", type=click.FloatRange(0.001), default=8.0, show_default=True,
              help="Largest request body accepted (larger ones get HTTP 413).")
@click.option("--max-concurrent", type=click.IntRange(1), default=4, show_default=True,
              help="Requests verified at the same time; others wait.")
def serve_reward(host: str, port: int, problems: str | None, config: str | None, max_request_mb: float,
                 max_concurrent: int) -> None:
    """Serve verification rewards: POST /get_reward {"query", "prompts", "labels"} -> {"rewards": [...]}.

    A label is a task_id of --problems or a JSON object in the problem format. Each verification runs in
    its own sandboxed scratch directory.

    \b
    Examples:
      hdlgen serve-reward                                   # labels: task_ids of the bundled problems
      hdlgen serve-reward --problems my_problems.jsonl --port 5000 --config rewards.yaml
      # OpenRLHF: --remote_rm_url http://127.0.0.1:8000/get_reward
    """
    from hdlgen.rewards import RewardConfigError, build_weighted
    from hdlgen.serve.reward_server import MAX_BYTES, RewardService, is_loopback, make_server

    spec = None
    if config:
        import yaml

        try:
            data = yaml.safe_load(open(config, encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise ToolError(f"{config}: invalid YAML: {str(exc).splitlines()[0]}") from exc
        spec = data.get("rewards") if isinstance(data, dict) else None
    try:
        reward = build_weighted(spec)
    except RewardConfigError as exc:
        raise ToolError(str(exc)) from exc
    table = {}
    if problems is None and bundled_problems_dir().is_dir():
        problems = str(bundled_problems_dir())
    if problems:
        from hdlgen.train.config import ConfigError
        from hdlgen.train.data import load_problems

        try:
            table = {p.task_id: p for p in load_problems(problems)}
        except ConfigError as exc:
            raise ToolError(str(exc)) from exc
    service = RewardService(reward, table, max_concurrent=max_concurrent)
    try:
        server = make_server(service, host, port, max_bytes=int(max_request_mb * 1024 * 1024) or MAX_BYTES)
    except OSError as exc:
        raise ToolError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    if not is_loopback(host):
        click.echo(f"hdlgen: warning: listening on {host}: anyone who can reach it can run simulations", err=True)
    click.echo(f"serving rewards on http://{host}:{server.server_address[1]}/get_reward "
               f"({len(table)} problems by task_id; Ctrl-C to stop)", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
