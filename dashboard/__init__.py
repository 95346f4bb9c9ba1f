"""Militancy & Online Content Observatory."""
