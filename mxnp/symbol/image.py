"""``mx.sym.image``: MXNet's image operators (registered as ``_image_<name>``) as Symbol-making
functions, by their short name."""
from __future__ import annotations

from ._functions import namespace_dir, namespace_getattr

__getattr__ = namespace_getattr("image", "_image_")
__dir__ = namespace_dir("image", "_image_", globals())
