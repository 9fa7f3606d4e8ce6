"""The outcome report: its contents, channels, formats and dated editions."""
