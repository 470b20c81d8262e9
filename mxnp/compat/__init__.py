"""Compatibility with MXNet code: the ``mxnet`` import alias, the IPython extension, the CLI."""
