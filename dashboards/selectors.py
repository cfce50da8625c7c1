"""Headline figures across the apps (filled in by the demo/summary work)."""


def headline_summary(user) -> dict:
    return {}
