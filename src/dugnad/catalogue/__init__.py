"""SDG catalogue: goals, targets, indicators, frameworks, concordance and indicator specifications."""
