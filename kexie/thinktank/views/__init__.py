"""The think tank's pages, by noun."""
