"""The one error type of the scoring package."""


class ScoringError(ValueError):
    """Input a statistic cannot be computed from; the message says what to change."""
