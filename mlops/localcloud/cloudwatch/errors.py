"""What the embedded cloud cannot evaluate: such an alarm goes to INSUFFICIENT_DATA naming why."""


class Unsupported(Exception):
    """An alarm feature the embedded cloud does not evaluate; the message names it."""
