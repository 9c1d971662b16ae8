"""Serving verifier rewards to distributed RL frameworks (OpenRLHF's remote reward protocol)."""

from .reward_server import RequestError, RewardService, make_server

__all__ = ["RequestError", "RewardService", "make_server"]
