"""Pages of the learning app, one module per area; `learning.urls` joins them."""
