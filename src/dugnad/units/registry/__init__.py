"""Building and reading the unit registry snapshot (pure Python, no Django): Klass → snapshot → database."""
