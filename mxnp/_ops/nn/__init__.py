"""npx's neural-network ops: activations, the softmax family, layers, normalization,
convolution, pooling, RNN."""
