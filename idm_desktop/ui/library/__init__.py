"""The Library: every document of the local library in a table, full-text search with snippets,
a viewer (QtPdf for PDFs, text otherwise) with the search hits highlighted, and import."""
