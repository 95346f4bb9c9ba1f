"""Importers: read a file, detect its format, validate, harmonise names, load in one transaction."""
