"""The widgets: every chart of the registry as a page other sites frame, and its other formats.

The site and the widgets are two front doors on the same chart registry (`webapp.charts`):
`embeds.request` validates a widget's address, `embeds.views` answers it (HTML, CSV, JSON, PNG,
SVG, the widget index, the host page's sizing script), `embeds.fastpath` keeps warm answers in
memory in front of Flask. Templates and scripts live beside them (`templates/`, `static/js/`).
"""
