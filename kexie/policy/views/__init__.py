"""Pages of the supervision ledger, one module per area: dashboard and measures, notice import,
tasks and their ledger, exports and imports."""
