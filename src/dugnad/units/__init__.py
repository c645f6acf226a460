"""Administrative units: levels, units with validity periods, and code changes across reforms."""
