"""Submissions: the list by workshop and status, the editor, and their dialogs."""
