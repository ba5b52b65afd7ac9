"""aoad-tui: explore everything known about season 2 of All of Us Are Dead."""

__version__ = "0.1.0"
