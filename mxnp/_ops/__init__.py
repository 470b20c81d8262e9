"""Op definitions by family: each op's forward and its VJP side by side."""
