"""D2L's later chapters (FCN, style transfer, GAN, RNN models, Transformer and BERT pieces),
run as the MXNet edition writes them and checked against MXNet 1.9.1.

Same method as test_d2l_scenarios.py: one fresh process per test, displays recorded from
MXNet 1.9.1 with /work/shared/tools/mxref, deterministic weights.
"""
from __future__ import annotations

import math

import mxnp as mx
from mxnp import autograd, gluon, init, npx
from mxnp import numpy as np
from mxnp.gluon import nn, rnn

from .d2l_scenario_support import close, fresh_process, text  # noqa: F401 (autouse fixture)


def bilinear_kernel(in_channels, out_channels, kernel_size):
    factor = (kernel_size + 1) // 2
    if kernel_size % 2 == 1:
        center = factor - 1
    else:
        center = factor - 0.5
    og = (np.arange(kernel_size).reshape(-1, 1),
          np.arange(kernel_size).reshape(1, -1))
    filt = (1 - np.abs(og[0] - center) / factor) * \
           (1 - np.abs(og[1] - center) / factor)
    weight = np.zeros((in_channels, out_channels, kernel_size, kernel_size))
    weight[range(in_channels), range(out_channels), :, :] = filt
    return np.array(weight)


def test_fcn_bilinear_upsampling():
    # indexing with range objects (a regression: mxnp refused them)
    conv_trans = nn.Conv2DTranspose(3, kernel_size=4, padding=1, strides=2)
    conv_trans.initialize(init.Constant(bilinear_kernel(3, 3, 4)))
    Y = conv_trans(np.arange(3 * 4 * 4, dtype='float32').reshape(1, 3, 4, 4))
    assert Y.shape == (1, 3, 8, 8)
    # MXNet 1.9.1 (mxref)
    close(Y[0, 0, :2], [[0., 0.1875, 0.5625, 0.9375, 1.3125, 1.6875, 2.0625, 1.6875],
                        [0.75, 1.25, 1.75, 2.25, 2.75, 3.25, 3.75, 3.]])
    assert repr(conv_trans) == \
        "Conv2DTranspose(3 -> 3, kernel_size=(4, 4), stride=(2, 2), padding=(1, 1))"
    net = nn.Sequential()
    net.add(nn.Conv2D(2, kernel_size=1),
            nn.Conv2DTranspose(2, kernel_size=4, padding=1, strides=2))
    net[-1].initialize(init.Constant(bilinear_kernel(2, 2, 4)))
    net[-2].initialize(init=init.Xavier())
    assert net(np.ones((1, 3, 2, 2))).shape == (1, 2, 4, 4)


def test_style_transfer_synthesized_image_and_gan_trainers():
    class SynthesizedImage(nn.Block):
        def __init__(self, img_shape, **kwargs):
            super().__init__(**kwargs)
            self.weight = self.params.get('weight', shape=img_shape)

        def forward(self):
            return self.weight.data()

    X = np.arange(6, dtype='float32').reshape(1, 1, 2, 3)
    gen_img = SynthesizedImage(X.shape)
    gen_img.initialize(init.Constant(X))
    trainer = gluon.Trainer(gen_img.collect_params(), 'adam', {'learning_rate': 0.1})
    with autograd.record():
        l = (gen_img() ** 2).sum()
    l.backward()
    trainer.step(1)
    # MXNet 1.9.1 (mxref)
    close(gen_img(), [[[[0., 0.8999994, 1.8999994], [2.8999994, 3.8999994, 4.899999]]]])
    trainer.set_learning_rate(trainer.learning_rate * 0.8)
    assert trainer.learning_rate == 0.08000000000000002  # MXNet 1.9.1 (mxref)
    net_D = nn.Sequential()
    net_D.add(nn.Dense(5, activation='tanh'), nn.Dense(3, activation='tanh'), nn.Dense(1))
    net_D.initialize(init=init.Normal(0.02), force_reinit=True)
    trainer_D = gluon.Trainer(net_D.collect_params(), 'adam',
                              {'learning_rate': 0.05, 'beta1': 0.5})
    assert (trainer_D.optimizer.beta1, trainer_D.optimizer.beta2) == (0.5, 0.999)
    net_G = nn.Sequential()
    net_G.add(nn.Conv2DTranspose(4, 4, 1, 0, use_bias=False), nn.BatchNorm(),
              nn.Activation('relu'), nn.Conv2DTranspose(3, 4, 2, 1, use_bias=False),
              nn.Activation('tanh'), nn.LeakyReLU(0.2))
    net_G.initialize(init.Constant(0.05))
    assert net_G(np.ones((1, 2, 1, 1))).shape == (1, 3, 8, 8)
    # MXNet 1.9.1 (mxref)
    assert repr(net_G) == text("""
        Sequential(
          (0): Conv2DTranspose(4 -> 2, kernel_size=(4, 4), stride=(1, 1), bias=False)
          (1): BatchNorm(axis=1, eps=1e-05, momentum=0.9, fix_gamma=False, use_global_stats=False, in_channels=4)
          (2): Activation(relu)
          (3): Conv2DTranspose(3 -> 4, kernel_size=(4, 4), stride=(2, 2), padding=(1, 1), bias=False)
          (4): Activation(tanh)
          (5): LeakyReLU(0.2)
        )""")
    loss = gluon.loss.SigmoidBCELoss()
    pred = np.array([[1.1, -2.2, 3.3, -4.4]] * 2)
    label = np.array([[1.0, 0.0, 0.0, 0.0]] * 2)
    mask = np.array([[1, 1, 1, 1], [1, 1, 0, 0]])
    # MXNet 1.9.1 (mxref): word2vec's masked binary cross-entropy
    close(loss(pred, label, mask) * mask.shape[1] / mask.sum(axis=1), [0.93521017, 0.19620943])


class RNNModel(nn.Block):
    def __init__(self, rnn_layer, vocab_size, **kwargs):
        super().__init__(**kwargs)
        self.rnn = rnn_layer
        self.vocab_size = vocab_size
        self.dense = nn.Dense(vocab_size)

    def forward(self, inputs, state):
        X = npx.one_hot(inputs.T, self.vocab_size)
        Y, state = self.rnn(X, state)
        output = self.dense(Y.reshape(-1, Y.shape[-1]))
        return output, state

    def begin_state(self, *args, **kwargs):
        return self.rnn.begin_state(*args, **kwargs)


def grad_clipping(net, theta):
    if isinstance(net, gluon.Block):
        params = [p.data() for p in net.collect_params().values()]
    else:
        params = net.params
    norm = math.sqrt(sum((p.grad ** 2).sum() for p in params))
    if norm > theta:
        for param in params:
            param.grad[:] *= theta / norm
    return norm


def test_rnn_model_concise_and_grad_clipping():
    net = RNNModel(rnn.LSTM(4), 6)
    net.initialize(init.Constant(0.1), force_reinit=True)
    state = net.begin_state(batch_size=2, ctx=mx.cpu())
    out, st = net(np.array([[1, 2, 3], [0, 4, 5]]), state)
    assert (out.shape, len(st)) == ((6, 6), 2)
    close(out[0], [0.01097751] * 6)  # MXNet 1.9.1 (mxref)
    assert repr(net) == text("""
        RNNModel(
          (rnn): LSTM(6 -> 4, TNC)
          (dense): Dense(4 -> 6, linear)
        )""")  # MXNet 1.9.1 (mxref)
    with autograd.record():
        out, st = net(np.array([[1, 2, 3], [0, 4, 5]]), state)
        l = out.sum()
    l.backward()
    close(grad_clipping(net, 1), 15.4508, rtol=1e-5)  # MXNet 1.9.1 (mxref)
    close(float(net.dense.weight.grad().sum()), 0.4023478925228119)


def test_transformer_and_bert_pieces(capsys):
    class PositionWiseFFN(nn.Block):
        def __init__(self, ffn_num_hiddens, ffn_num_outputs, **kwargs):
            super().__init__(**kwargs)
            self.dense1 = nn.Dense(ffn_num_hiddens, flatten=False, activation='relu')
            self.dense2 = nn.Dense(ffn_num_outputs, flatten=False)

        def forward(self, X):
            return self.dense2(self.dense1(X))

    ffn = PositionWiseFFN(4, 8)
    ffn.initialize(init.Constant(0.1))
    close(ffn(np.ones((2, 3, 4)))[0], [[0.16000001] * 8] * 3)  # MXNet 1.9.1 (mxref)

    class AddNorm(nn.Block):
        def __init__(self, dropout, **kwargs):
            super().__init__(**kwargs)
            self.dropout = nn.Dropout(dropout)
            self.ln = nn.LayerNorm()

        def forward(self, X, Y):
            return self.ln(self.dropout(Y) + X)

    add_norm = AddNorm(0.5)
    add_norm.initialize()
    out = add_norm(np.arange(24).reshape(2, 3, 4) / 10, np.ones((2, 3, 4)))[0]
    # MXNet 1.9.1 (mxref)
    close(out, [[-1.3411044, -0.44703442, 0.4470355, 1.3411044],
                [-1.3411039, -0.44703427, 0.44703534, 1.341105],
                [-1.3411044, -0.44703442, 0.4470355, 1.3411044]], rtol=1e-5, atol=1e-6)
    ln, bn = nn.LayerNorm(), nn.BatchNorm()
    ln.initialize()
    bn.initialize()
    X = np.array([[1, 2], [2, 3]])
    with autograd.record():
        print('layer norm:', ln(X), '\nbatch norm:', bn(X))
    # MXNet 1.9.1 (mxref)
    assert capsys.readouterr().out == "layer norm: [[-0.99998  0.99998]\n [-0.99998  0.99998]] " \
        "\nbatch norm: [[-0.99998 -0.99998]\n [ 0.99998  0.99998]]\n"

    class BERTpos(nn.Block):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.pos_embedding = self.params.get('pos_embedding', shape=(1, 5, 4))

        def forward(self, X):
            return X + self.pos_embedding.data(ctx=X.ctx)[:, :X.shape[1], :]

    b = BERTpos()
    b.initialize(init.Constant(0.5))
    assert b(np.zeros((2, 3, 4))).shape == (2, 3, 4)
    assert repr(b.pos_embedding) == "Parameter bertpos0_pos_embedding (shape=(1, 5, 4), " \
        "dtype=<class 'numpy.float32'>)"  # MXNet 1.9.1 (mxref)


def train_three_steps(name, hyperparams):
    """D2L's train_concise_ch11 in miniature: three Trainer steps on a fixed linear problem."""
    net = nn.Sequential()
    net.add(nn.Dense(1, in_units=3))
    net.initialize(init.Constant(0.3))
    loss = gluon.loss.L2Loss()
    trainer = gluon.Trainer(net.collect_params(), name, hyperparams)
    X = np.arange(12, dtype='float32').reshape(4, 3) / 10
    y = np.array([[1.], [0.], [2.], [-1.]])
    for _ in range(3):
        with autograd.record():
            l = loss(net(X), y)
        l.backward()
        trainer.step(4)
    return net[0].weight.data(), net[0].bias.data(), trainer.learning_rate


class SquareRootScheduler:
    def __init__(self, lr=0.1):
        self.lr = lr

    def __call__(self, num_update):
        return self.lr * pow(num_update + 1.0, -0.5)


# MXNet 1.9.1 (mxref): weight, bias and learning rate after three steps
OPTIMIZER_RUNS = [
    ('sgd', {'learning_rate': 0.1}, [0.23276561, 0.23403849, 0.23531136], 0.01272886, 0.1),
    ('sgd', {'learning_rate': 0.1, 'momentum': 0.9, 'wd': 0.01},
     [0.17114788, 0.17330173, 0.17545554], 0.02153829, 0.1),
    ('adagrad', {'learning_rate': 0.1}, [0.09264833, 0.094992, 0.09745267], 0.2682447, 0.1),
    ('rmsprop', {'learning_rate': 0.01, 'gamma1': 0.9},
     [0.2281803, 0.22837791, 0.22857952], 0.08726777, 0.01),
    ('adadelta', {'rho': 0.9}, [0.26986685, 0.26993987, 0.27001384], 0.02476459, 0.01),
    ('adam', {'learning_rate': 0.01}, [0.270028, 0.2700315, 0.2700351], 0.02890053, 0.01),
    ('nag', {'learning_rate': 0.1, 'momentum': 0.5},
     [0.19059914, 0.19358218, 0.19656526], 0.02983066, 0.1),
    ('sgd', {'lr_scheduler': 'factor'}, [0.07774199, 0.0947365, 0.11173106], 0.16994542, 0.405),
    ('sgd', {'lr_scheduler': 'sqrt'}, [0.25825664, 0.2587525, 0.25924832], 0.0049583, 0.05),
    ('adam', {'learning_rate': 0.01, 'lr_scheduler': 'halving'},
     [0.2825074, 0.28250828, 0.28250918], 0.01714912, 0.0025),
]


def test_optimizers_and_schedulers_of_the_optimization_chapter():
    schedulers = {
        'factor': lambda: mx.lr_scheduler.FactorScheduler(step=1, factor=0.9,
                                                          stop_factor_lr=1e-2, base_lr=0.5),
        'sqrt': lambda: SquareRootScheduler(lr=0.1),
        'halving': lambda: mx.lr_scheduler.FactorScheduler(step=1, factor=0.5)}
    for name, hp, weight, bias, lr in OPTIMIZER_RUNS:
        if 'lr_scheduler' in hp:
            hp = dict(hp, lr_scheduler=schedulers[hp['lr_scheduler']]())
        w, b, got_lr = train_three_steps(name, hp)
        close(w, [weight], rtol=2e-6)
        close(b, [bias], rtol=2e-6)
        close(got_lr, lr, rtol=1e-12)
    sched = mx.lr_scheduler.CosineScheduler(max_update=20, base_lr=0.3, final_lr=0.01,
                                            warmup_steps=5)
    # MXNet 1.9.1 (mxref): past max_update it keeps the last value it computed
    assert [round(sched(t), 5) for t in range(0, 25, 3)] == \
        [0.0, 0.18, 0.29683, 0.25202, 0.17016, 0.0825, 0.02254, 0.02254, 0.02254]
    sched = mx.lr_scheduler.MultiFactorScheduler(step=[15, 30], factor=0.5, base_lr=0.5)
    assert [sched(t) for t in (0, 15, 16, 30, 31)] == [0.5, 0.5, 0.25, 0.25, 0.125]


class TextCNN(nn.Block):
    def __init__(self, vocab_size, embed_size, kernel_sizes, num_channels, **kwargs):
        super().__init__(**kwargs)
        self.embedding = nn.Embedding(vocab_size, embed_size)
        self.constant_embedding = nn.Embedding(vocab_size, embed_size)
        self.dropout = nn.Dropout(0.5)
        self.decoder = nn.Dense(2)
        self.pool = nn.GlobalMaxPool1D()
        self.convs = nn.Sequential()
        for c, k in zip(num_channels, kernel_sizes):
            self.convs.add(nn.Conv1D(c, k, activation='relu'))

    def forward(self, inputs):
        embeddings = np.concatenate((
            self.embedding(inputs), self.constant_embedding(inputs)), axis=2)
        embeddings = embeddings.transpose(0, 2, 1)
        encoding = np.concatenate([np.squeeze(self.pool(conv(embeddings)), axis=-1)
                                   for conv in self.convs], axis=1)
        return self.decoder(self.dropout(encoding))


class BiRNN(nn.Block):
    def __init__(self, vocab_size, embed_size, num_hiddens, num_layers, **kwargs):
        super().__init__(**kwargs)
        self.embedding = nn.Embedding(vocab_size, embed_size)
        self.encoder = rnn.LSTM(num_hiddens, num_layers=num_layers, bidirectional=True,
                                input_size=embed_size)
        self.decoder = nn.Dense(2)

    def forward(self, inputs):
        embeddings = self.embedding(inputs.T)
        outputs = self.encoder(embeddings)
        encoding = np.concatenate((outputs[0], outputs[-1]), axis=1)
        return self.decoder(encoding)


def test_sentiment_textcnn_birnn_and_bert_masking():
    net = TextCNN(10, 4, [3, 4], [5, 6])
    net.initialize(init.Xavier())
    assert net(np.array([[1, 2, 3, 4, 5, 6], [0, 1, 2, 3, 4, 5]])).shape == (2, 2)
    # MXNet 1.9.1 (mxref)
    assert repr(net).splitlines()[4:8] == [
        "  (decoder): Dense(11 -> 2, linear)",
        ("  (pool): GlobalMaxPool1D(size=(1,), stride=(1,), padding=(0,), ceil_mode=True, "
         "global_pool=True, pool_type=max, layout=NCW)"),
        "  (convs): Sequential(",
        "    (0): Conv1D(8 -> 5, kernel_size=(3,), stride=(1,), Activation(relu))"]
    embeds = np.arange(40).reshape(10, 4) / 40
    net.embedding.weight.set_data(embeds)
    net.constant_embedding.weight.set_data(embeds)
    net.constant_embedding.collect_params().setattr('grad_req', 'null')
    trainer = gluon.Trainer(net.collect_params(), 'adam', {'learning_rate': 0.01})
    loss = gluon.loss.SoftmaxCrossEntropyLoss()
    with autograd.record():
        l = loss(net(np.array([[1, 2, 3, 4, 5, 6]])), np.array([1]))
    l.backward()
    trainer.step(1)
    # MXNet 1.9.1 (mxref): the frozen embedding keeps its values
    close(net.constant_embedding.weight.data()[1], [0.1, 0.125, 0.15, 0.175])
    net = BiRNN(10, 4, 3, 2)
    net.initialize(init.Constant(0.1))
    close(net(np.array([[1, 2, 3], [4, 5, 6]])), [[0.00411738] * 2] * 2)  # MXNet 1.9.1 (mxref)
    assert repr(net.encoder) == "LSTM(4 -> 3, TNC, num_layers=2, bidirectional)"
    names = list(net.collect_params())
    # MXNet 1.9.1 (mxref)
    assert (len(names), names[:2], names[5], names[-1]) == (
        19, ['embedding2_weight', 'lstm0_l0_i2h_weight'], 'lstm0_r0_i2h_weight', 'dense1_bias')
    X = np.arange(24).reshape(2, 3, 4)
    pred_positions = np.array([[1, 2], [0, 1]])
    batch_idx = np.repeat(np.arange(0, 2), 2)
    masked_X = X[batch_idx, pred_positions.reshape(-1)].reshape((2, 2, -1))
    close(masked_X, [[[4., 5., 6., 7.], [8., 9., 10., 11.]],
                     [[12., 13., 14., 15.], [16., 17., 18., 19.]]])  # MXNet 1.9.1 (mxref)


def test_data_loader_workers_and_transform_first():
    ds = gluon.data.ArrayDataset(np.arange(20).reshape(10, 2), np.arange(10))
    dl = gluon.data.DataLoader(ds, 4, shuffle=False, num_workers=2)
    # MXNet 1.9.1 (mxref)
    assert [(x.shape, y.tolist()) for x, y in dl] == [
        ((4, 2), [0.0, 1.0, 2.0, 3.0]), ((4, 2), [4.0, 5.0, 6.0, 7.0]), ((2, 2), [8.0, 9.0])]
    ds2 = gluon.data.SimpleDataset([(np.ones((2, 2, 1), dtype='uint8') * i, i) for i in range(3)])
    t = ds2.transform_first(gluon.data.vision.transforms.ToTensor())
    b = next(iter(gluon.data.DataLoader(t, 3)))
    # MXNet 1.9.1 (mxref): ((3, 1, 2, 2), dtype('float32'), array([0, 1, 2], dtype=int64), ...)
    assert (b[0].shape, b[0].dtype, repr(b[1])) == \
        ((3, 1, 2, 2), np.float32, "array([0, 1, 2], dtype=int64)")
