"""Fitting the small learned parts of the core from labelled corpora (`make train`).

Training needs numpy; extraction does not: it reads the fitted weights as JSON.
"""
