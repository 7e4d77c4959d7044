"""Files of the supervision ledger: the breakdown table (breakdown.py) and the bulletin (bulletin.py)."""
