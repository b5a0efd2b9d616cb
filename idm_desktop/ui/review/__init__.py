"""Review: the clearance of the open draft beside the editor (DESIGN §13)."""
