"""The blocks make_block_symbols.py records with the real MXNet 1.9.1 and
tests/symbol/test_block_on_symbols.py builds in mxnp: defined once here, on the ``nn`` and
``rnn`` modules each side passes in (this module imports neither library)."""


def layers(nn):
    """One HybridSequential of most built-in layers."""
    net = nn.HybridSequential()
    net.add(nn.Conv2D(4, 3, activation="relu"), nn.BatchNorm(), nn.MaxPool2D(), nn.AvgPool2D(),
            nn.GlobalAvgPool2D(), nn.Conv2DTranspose(2, 3), nn.ReflectionPad2D(1),
            nn.InstanceNorm(), nn.InstanceNorm(axis=2), nn.GroupNorm(num_groups=1),
            nn.LayerNorm(), nn.Flatten(), nn.Dense(8, activation="tanh"), nn.Dropout(0.5),
            nn.Dropout(0.0), nn.LeakyReLU(0.1), nn.PReLU(), nn.ELU(), nn.SELU(), nn.Swish(),
            nn.GELU(), nn.Activation("sigmoid"), nn.HybridLambda("tanh"),
            nn.HybridLambda(lambda F, x: F.relu(x)), nn.Embedding(10, 3),
            nn.Dense(3, flatten=False, use_bias=False))
    return net


def cells(rnn):
    """The unrolled cells, by name."""
    stack = rnn.SequentialRNNCell()
    for i in range(3):
        cell = rnn.LSTMCell(100, prefix=f"rnn_stack{i}_")
        stack.add(rnn.ResidualCell(cell) if i == 1 else cell)
    return {
        "rnn": rnn.RNNCell(100, prefix="rnn_"),
        "lstm": rnn.LSTMCell(100, prefix="rnn_"),
        "gru": rnn.GRUCell(100, prefix="rnn_"),
        "residual": rnn.ResidualCell(rnn.GRUCell(50, prefix="rnn_")),
        "stack": stack,
        "bidirectional": rnn.BidirectionalCell(rnn.LSTMCell(100, prefix="rnn_l0_"),
                                               rnn.LSTMCell(100, prefix="rnn_r0_"),
                                               output_prefix="rnn_bi_"),
        "zoneout": rnn.ZoneoutCell(rnn.RNNCell(100, prefix="rnn_"), zoneout_outputs=0.5,
                                   zoneout_states=0.5),
        "dropout": rnn.DropoutCell(0.5, prefix="rnn_"),
    }
