"""`crewcall console`: the real app, in a terminal, against a local stand-in for Slack."""
