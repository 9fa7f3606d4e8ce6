"""Synthesis: merging what the breakout groups said into recommendations, with every source kept."""
