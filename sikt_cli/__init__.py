"""sikt: kontrollerade, sökbara protokoll för ett kommunalt nätverk."""

__version__ = "0.1.0"
