"""veche — a civic participation platform for Central & Eastern Europe and the Balkans."""

__version__ = "0.1.0"
