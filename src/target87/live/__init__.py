"""Live sessions: audience questions to panels and lunch talks, and the clock of each session."""
