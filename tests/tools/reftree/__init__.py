"""Independent Python reference of the segverify Merkle-sum tree (see ../reference_tree.py)."""
