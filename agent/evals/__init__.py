"""Evaluation of the interviewer: labelled datasets, scorers and reports."""
