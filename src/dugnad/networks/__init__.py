"""Networks of municipalities and organisations, the good-practice library and peer suggestions."""
