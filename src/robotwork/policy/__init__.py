"""The plan and robotwork's definitions as data (see `model`)."""

from robotwork.policy.model import AutonomyRule, Policy, Quota, default_policy_text, load_policy

__all__ = ["AutonomyRule", "Policy", "Quota", "default_policy_text", "load_policy"]
