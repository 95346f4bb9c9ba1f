"""Pure page models: each reading page as a function of a query function, the filters and the page's own control
values, returning what to draw (chart cards, tables, headline numbers, captions). No Streamlit here: the thin
renderers in ``dashboard/app_pages/`` draw the widgets, call a model and draw what it returns."""
