"""Networks of municipalities and organisations and peer suggestions."""
