"""Linear algebra: products (dot, matmul, tensordot), einsum, and ``np.linalg`` (ops,
decompositions, norms)."""
