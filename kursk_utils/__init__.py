"""kursk-framing: computational framing analysis of news, as importable functions over pandas tables."""

__version__ = "0.1.0"
