"""Ofsted: judgements of councils' children's services — grades and grids, the trajectory, the councils
to compare, the intervention timeline, and the Ofsted page's view."""
