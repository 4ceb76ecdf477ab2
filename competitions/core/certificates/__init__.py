"""What every certificate shares: the one drawing of a face (layout.py), the name the holder
chooses to print (names.py) and the public verification page (verify.py)."""
