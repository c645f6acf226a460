"""The observation store: values per unit, indicator, period and disaggregation, with revisions."""
