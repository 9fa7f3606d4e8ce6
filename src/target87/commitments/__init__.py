"""Follow-through: actions, commitments, money and good practices against the recommendations."""
