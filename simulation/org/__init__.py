"""Organisations: the formal structure and informal ties that a rollout runs on."""
