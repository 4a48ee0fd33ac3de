"""How each case kind is played against a brain, producing the outcome the scorers read."""
