"""Where the program keeps its files, and the user's settings."""
