"""Target 8.7: run consultations on SDG target 8.7 and follow through on what they decide."""

__version__ = "0.1.0"
