"""Printed field labels: the table of labels, found in lines, and the values they announce."""
