"""The Workshops view: the IDM programme, deadlines, and the details of one event."""
