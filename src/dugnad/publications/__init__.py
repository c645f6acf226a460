"""Publications: VLR, county review and VSR built as plain documents from selectors and rendered to HTML and PDF."""
