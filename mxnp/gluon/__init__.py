"""gluon: MXNet's imperative/hybrid neural-network API, built on mxnp's np, npx and autograd."""
from __future__ import annotations
