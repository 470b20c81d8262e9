"""``%load_ext mxnp``: the ``mxnet`` alias for an IPython or Jupyter session."""
from __future__ import annotations

from .alias import disable_mxnet_alias, enable_mxnet_alias


def load_ipython_extension(ipython) -> None:
    """Turn the alias on, so that the notebook's ``from mxnet import np`` gives mxnp."""
    enable_mxnet_alias()


def unload_ipython_extension(ipython) -> None:
    """``%unload_ext mxnp``: turn the alias off again."""
    disable_mxnet_alias()
