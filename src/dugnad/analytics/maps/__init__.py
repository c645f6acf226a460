"""Maps of Norway: Kartverket boundaries built into TopoJSON, and Vega-Lite choropleth specs for web and PDF."""
