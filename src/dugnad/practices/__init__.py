"""The good-practice library: cases with indicator evidence, searchable in Norwegian."""
