"""Commands that run without loading Django, so they start fast.

Each module here exposes ``main(argv: list[str]) -> int``; ``target87 <name>`` dispatches to it.
"""
