"""Writing rubrics: a commented scaffold, a readable rendering, and a quality lint."""
