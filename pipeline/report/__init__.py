"""The HTML report of tagged output (`report` command) and the gold-versus-predicted page of
`evaluate`: one self-contained file each, charts as inline SVG, the facts table and the paragraph
drawings (spans and relation arcs) done by the page's own script, nothing fetched."""
