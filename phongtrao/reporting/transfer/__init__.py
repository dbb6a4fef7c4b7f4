"""Import and export of data values: our CSV, XLSX templates and DHIS2's two formats.

`formats` and `xlsx` read and write files, `validate` checks values in chunks with a constant
number of queries, `commit` is the one service that writes an import, `export` reads values out.
"""
