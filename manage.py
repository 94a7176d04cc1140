#!/usr/bin/env python
"""Django's command-line utility; `veche` (veche/cli.py) is the same with friendlier names."""

from veche.cli import main

if __name__ == "__main__":
    main()
