"""Random sampling: the distributions of ``np.random``, and sampling from given data
(choice, shuffle, multinomial ...)."""
