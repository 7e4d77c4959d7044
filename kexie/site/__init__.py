"""The site: what belongs to the whole project rather than to one app — the `demo`, `serve` and `seed`
commands and the demo orchestration that calls every app's demo loader. It sits above every app in
the layering (docs/architecture.md); nothing imports it."""
