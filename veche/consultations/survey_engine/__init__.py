"""The survey's rules and sums, in pure Python and numpy (no Django import), so that services, the CLI and the
benchmarks share them: `validate` checks one resident's answers against the questions, `results` aggregates many
answers per question, `geometry` decides whether a map point lies in the consultation's area."""
