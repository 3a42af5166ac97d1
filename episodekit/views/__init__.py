"""Views: an episode shown as a person will see it (``watchpage``: the YouTube watch page, as HTML)."""
