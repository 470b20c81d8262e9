"""D2L chapters 12-16 through the real d2l library: the optimization chapter's loops on an
airfoil-format file, anchor boxes and their labels (values from MXNet 1.9.1 running the book's
functions), fine-tuning on a hotdog.zip image folder, word2vec on a ptb.zip archive, BERT on a
WikiText-2-format archive, and the hybridize chapter."""
from __future__ import annotations

import os

import numpy as onp
import pytest

from mxnp import autograd, gluon, init, metric, npx
from mxnp import numpy as np
from mxnp.gluon import nn

from . import book_data

WORDS = ["the", "cat", "sat", "on", "the", "mat", "and", "the", "dog", "ate", "the", "bone",
         "while", "a", "bird", "sang", "in", "the", "tree", "near", "the", "old", "house", "by",
         "the", "river", "where", "children", "play", "every", "day", "with", "a", "ball"]


def _hub(d2l, monkeypatch, name, filename, members):
    """Write ../data/<filename> as a zip of ``members`` and point d2l.DATA_HUB[name] at it."""
    sha1 = book_data.write_zip(os.path.join("..", "data", filename), members)
    monkeypatch.setitem(d2l.DATA_HUB, name, (d2l.DATA_URL + filename, sha1))


@pytest.fixture
def airfoil(d2l, monkeypatch):
    rng = onp.random.default_rng(0)
    X = rng.normal(size=(1500, 5))
    y = X @ onp.array([1.0, -2, 0.5, 0.3, -1]) + 0.3 * rng.normal(size=1500)
    path = book_data.write_text(os.path.join("..", "data"), "airfoil_self_noise.dat",
                                "".join("\t".join(f"{v:.6f}" for v in row) + "\n"
                                        for row in onp.c_[X, y]))
    monkeypatch.setitem(d2l.DATA_HUB, "airfoil",
                        (d2l.DATA_URL + "airfoil_self_noise.dat", book_data.sha1(path)))


def _adam(params, states, hyperparams):
    beta1, beta2, eps = 0.9, 0.999, 1e-6
    for p, (v, s) in zip(params, states):
        v[:] = beta1 * v + (1 - beta1) * p.grad
        s[:] = beta2 * s + (1 - beta2) * np.square(p.grad)
        v_hat = v / (1 - beta1 ** hyperparams['t'])
        s_hat = s / (1 - beta2 ** hyperparams['t'])
        p[:] -= hyperparams['lr'] * v_hat / (np.sqrt(s_hat) + eps)
    hyperparams['t'] += 1


def _momentum(params, states, hyperparams):
    for p, v in zip(params, states):
        v[:] = hyperparams['momentum'] * v + p.grad
        p[:] -= hyperparams['lr'] * v


def test_optimizers_from_scratch_on_the_airfoil_file(d2l, airfoil):
    data_iter, feature_dim = d2l.get_data_ch11(batch_size=10)
    assert feature_dim == 5 and len(data_iter) == 150
    # the targets are standardised noisy linear responses: the best squared loss / 2 is near
    # 0.3^2 / 2 / var(y) ~ 0.007, against about 0.5 for the initial weights
    states = (np.zeros((feature_dim, 1)), np.zeros(1))
    _, ls = d2l.train_ch11(_momentum, states, {'lr': 0.02, 'momentum': 0.5}, data_iter,
                           feature_dim)
    assert ls[-1] < 0.02
    states = ((np.zeros((feature_dim, 1)), np.zeros((feature_dim, 1))),
              (np.zeros(1), np.zeros(1)))
    _, ls = d2l.train_ch11(_adam, states, {'lr': 0.01, 't': 1}, data_iter, feature_dim)
    assert ls[-1] < 0.02


@pytest.mark.parametrize("name, hyper", [("sgd", {"learning_rate": 0.05}),
                                         ("sgd", {"learning_rate": 0.005, "momentum": 0.9}),
                                         ("adagrad", {"learning_rate": 0.1}),
                                         ("rmsprop", {"learning_rate": 0.01, "gamma1": 0.9}),
                                         ("adadelta", {"rho": 0.9}),
                                         ("adam", {"learning_rate": 0.01})])
def test_gluon_optimizers_in_train_concise_ch11(d2l, airfoil, capsys, name, hyper):
    data_iter, _ = d2l.get_data_ch11(10)
    d2l.train_concise_ch11(name, hyper, data_iter, num_epochs=1)
    printed = capsys.readouterr().out
    assert printed.startswith("loss: ")
    assert float(printed.split()[1].rstrip(",")) < 0.05


def test_anchor_boxes_labels_and_detection_match_mxnet(d2l):
    h, w = 4, 6
    Y = d2l.multibox_prior(np.zeros((1, 3, h, w)), sizes=[0.75, 0.5], ratios=[1, 2])
    assert Y.shape == (1, h * w * 3, 4)
    onp.testing.assert_allclose(Y[0, 7].asnumpy(), [0.25, -0.125, 0.5833334, 0.375], rtol=1e-6)
    assert Y.shape == npx.multibox_prior(np.zeros((1, 3, h, w)), sizes=[0.75, 0.5],
                                         ratios=[1, 2]).shape
    ground_truth = np.array([[0, 0.1, 0.08, 0.52, 0.92], [1, 0.55, 0.2, 0.9, 0.88]])
    anchors = np.array([[0, 0.1, 0.2, 0.3], [0.15, 0.2, 0.4, 0.4], [0.63, 0.05, 0.88, 0.98],
                        [0.66, 0.45, 0.8, 0.8], [0.57, 0.3, 0.92, 0.9]])
    onp.testing.assert_allclose(d2l.box_iou(anchors, ground_truth[:, 1:]).asnumpy(), [
        [0.05364807, 0], [0.14172335, 0], [0, 0.56572384], [0, 0.20588237], [0, 0.745908]],
        rtol=1e-6)
    offsets, mask, labels = d2l.multibox_target(np.expand_dims(anchors, axis=0),
                                                np.expand_dims(ground_truth, axis=0))
    assert labels.dtype == onp.int32 and labels.tolist() == [[0, 1, 2, 0, 2]]
    assert mask.tolist() == [[0] * 4 + [1] * 8 + [0] * 4 + [1] * 4]
    onp.testing.assert_allclose(offsets.asnumpy(), [[
        0, 0, 0, 0, 1.3999999, 9.999999, 2.5939717, 7.1754241, -1.1999989, 0.26881757,
        1.682364, -1.5654519, 0, 0, 0, 0, -0.571428, -1.0000001, 4.1723233e-06, 0.6258204]],
        rtol=1e-5, atol=1e-6)
    anchors = np.array([[0.1, 0.08, 0.52, 0.92], [0.08, 0.2, 0.56, 0.95],
                        [0.15, 0.3, 0.62, 0.91], [0.55, 0.2, 0.9, 0.88]])
    cls_probs = np.array([[0] * 4, [0.9, 0.8, 0.7, 0.1], [0.1, 0.2, 0.3, 0.9]])
    out = d2l.multibox_detection(np.expand_dims(cls_probs, axis=0),
                                 np.expand_dims(np.zeros(16), axis=0),
                                 np.expand_dims(anchors, axis=0), nms_threshold=0.5)
    onp.testing.assert_allclose(out.asnumpy(), [[
        [1, 0.9, 0.5500001, 0.20000002, 0.9, 0.88], [0, 0.9, 0.10000001, 0.07999998, 0.52, 0.92],
        [-1, 0.8, 0.07999998, 0.19999999, 0.56, 0.95], [-1, 0.7, 0.14999999, 0.3, 0.62, 0.91]]],
        rtol=1e-6)


def test_fine_tuning_on_a_hotdog_image_folder(d2l, monkeypatch, capsys):
    # three images a class: train_ch13 reports five times an epoch, so it needs five batches
    _hub(d2l, monkeypatch, "hotdog", "hotdog.zip", book_data.hotdog_members(per_class=3))
    data_dir = d2l.download_extract('hotdog')
    train_imgs = gluon.data.vision.ImageFolderDataset(os.path.join(data_dir, 'train'))
    test_imgs = gluon.data.vision.ImageFolderDataset(os.path.join(data_dir, 'test'))
    assert len(train_imgs) == 6 and train_imgs.synsets == ['hotdog', 'not-hotdog']
    img, label = train_imgs[0]
    assert img.shape == (40, 48, 3) and img.dtype == onp.uint8 and label == 0
    T = gluon.data.vision.transforms
    normalize = T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])
    train_augs = T.Compose([T.RandomResizedCrop(32), T.RandomFlipLeftRight(), T.ToTensor(),
                            normalize])
    test_augs = T.Compose([T.Resize(36), T.CenterCrop(32), T.ToTensor(), normalize])
    pretrained_net = gluon.model_zoo.vision.resnet18_v2(pretrained=False)
    pretrained_net.initialize(init.Xavier())
    finetune_net = gluon.model_zoo.vision.resnet18_v2(classes=2)
    finetune_net.features = pretrained_net.features
    finetune_net.output.initialize(init.Xavier())
    finetune_net.output.collect_params().setattr('lr_mult', 10)
    assert finetune_net.output.weight.lr_mult == 10
    train_iter = gluon.data.DataLoader(train_imgs.transform_first(train_augs), 1, shuffle=True)
    test_iter = gluon.data.DataLoader(test_imgs.transform_first(test_augs), 4)
    devices = [d2l.cpu()]
    finetune_net.collect_params().reset_ctx(devices)
    finetune_net.hybridize()
    trainer = gluon.Trainer(finetune_net.collect_params(), 'sgd',
                            {'learning_rate': 0.01, 'wd': 0.001})
    before = finetune_net.output.weight.data().copy()
    d2l.train_ch13(finetune_net, train_iter, test_iter, gluon.loss.SoftmaxCrossEntropyLoss(),
                   trainer, 1, devices)
    assert not (finetune_net.output.weight.data() == before).all()
    assert capsys.readouterr().out.startswith('loss ')  # and it evaluated the test folder


def test_word2vec_skip_gram_on_a_ptb_archive(d2l, monkeypatch):
    rng = onp.random.default_rng(0)
    # subsampling keeps about 5% of words this frequent: 1500 lines leave a few hundred pairs
    lines = [' '.join(WORDS[j] for j in rng.integers(0, len(WORDS), rng.integers(5, 15)))
             for _ in range(1500)]
    _hub(d2l, monkeypatch, "ptb", "ptb.zip", {"ptb/ptb.train.txt": '\n'.join(lines) + '\n'})
    sentences = d2l.read_ptb()
    assert len(sentences) == 1501 and sentences[-1] == []
    centers, contexts_negatives, masks, labels = d2l.batchify(
        ((1, [2, 2], [3, 3, 3, 3]), (1, [2, 2, 2], [3, 3])))
    assert centers.tolist() == [[1], [1]]
    assert contexts_negatives.tolist() == [[2, 2, 3, 3, 3, 3], [2, 2, 2, 3, 3, 0]]
    assert masks.tolist() == [[1] * 6, [1] * 5 + [0]]
    assert labels.tolist() == [[1, 1, 0, 0, 0, 0], [1, 1, 1, 0, 0, 0]]
    data_iter, vocab = d2l.load_data_ptb(64, 3, 3)
    center, context_negative, mask, label = next(iter(data_iter))
    assert center.shape == (64, 1) and context_negative.shape == mask.shape == label.shape
    net = nn.Sequential()
    net.add(nn.Embedding(len(vocab), 8), nn.Embedding(len(vocab), 8))
    net.initialize()
    loss = gluon.loss.SigmoidBCELoss()
    with autograd.record():
        pred = npx.batch_dot(net[0](center), net[1](context_negative).swapaxes(1, 2))
        l = loss(pred.reshape(label.shape), label, mask) * mask.shape[1] / mask.sum(axis=1)
    l.backward()
    assert l.shape == (64,) and onp.isfinite(l.asnumpy()).all()
    assert float(np.abs(net[0].weight.grad()).sum()) > 0


def test_bert_pretraining_on_a_wikitext_archive(d2l, monkeypatch):
    rng = onp.random.default_rng(1)
    paragraphs = []
    for _ in range(80):
        sents = [' '.join(WORDS[j] for j in rng.integers(0, len(WORDS), rng.integers(4, 9)))
                 for _ in range(rng.integers(2, 5))]
        paragraphs.append(' . '.join(sents) + ' .\n')
    _hub(d2l, monkeypatch, "wikitext-2", "wikitext-2-v1.zip",
         {"wikitext-2/wiki.train.tokens": ''.join(paragraphs)})
    train_iter, vocab = d2l.load_data_wiki(16, 24)
    batch = next(iter(train_iter))
    assert [b.shape for b in batch] == [(16, 24), (16, 24), (16,), (16, 4), (16, 4), (16, 4),
                                        (16,)]
    net = d2l.BERTModel(len(vocab), num_hiddens=32, ffn_num_hiddens=64, num_heads=2,
                        num_blks=2, dropout=0.2)
    devices = [d2l.cpu()]
    net.initialize(init.Xavier(), ctx=devices)
    loss = gluon.loss.SoftmaxCELoss()
    trainer = gluon.Trainer(net.collect_params(), 'adam', {'learning_rate': 0.01})
    history = []
    for _ in range(3):
        for batch in train_iter:
            shards = [gluon.utils.split_and_load(b, devices, even_split=False) for b in batch]
            with autograd.record():
                mlm_ls, nsp_ls, ls = d2l._get_batch_loss_bert(net, loss, len(vocab), *shards)
                assert nsp_ls[0].shape == ()
            for l in ls:
                l.backward()
            trainer.step(1)
            history.append(float(mlm_ls[0]))
    assert onp.isfinite(history).all() and sum(history[-3:]) < sum(history[:3])
    tokens, segments = d2l.get_tokens_and_segments(['the', 'cat'], ['a', 'dog'])
    assert segments == [0, 0, 0, 0, 1, 1, 1]
    encoded, mlm_hat, nsp_hat = net(np.array([vocab[tokens]]), np.array([segments]),
                                    np.array([len(tokens)]))
    assert encoded.shape == (1, 7, 32) and mlm_hat is None and nsp_hat.shape == (1, 2)


def test_hybridized_net_equals_the_imperative_one_and_exports(d2l):
    net = nn.HybridSequential()
    net.add(nn.Dense(16, activation='relu'), nn.Dense(8, activation='relu'), nn.Dense(2))
    net.initialize()
    x = np.random.normal(size=(1, 32))
    eager = net(x)
    net.hybridize()
    with d2l.Benchmark('hybridized'):
        for _ in range(3):
            hybrid = net(x)
    onp.testing.assert_allclose(hybrid.asnumpy(), eager.asnumpy(), rtol=1e-6)
    net.export('my_mlp')
    assert sorted(os.listdir('.')) == ['my_mlp-0000.params', 'my_mlp-symbol.json']
    X, y = np.arange(8).reshape(4, 2), np.arange(4)
    X_shards, y_shards = d2l.split_batch(X, y, [d2l.cpu(), d2l.cpu()])
    assert [s.shape for s in X_shards] == [(2, 2), (2, 2)] and y_shards[1].tolist() == [2, 3]


def test_natural_language_inference_on_an_snli_archive(d2l, monkeypatch):
    rng = onp.random.default_rng(2)
    labels = ['entailment', 'contradiction', 'neutral', '-']  # '-' rows are dropped
    rows = ['gold_label\tsentence1_binary_parse\tsentence2_binary_parse']
    for k in range(120):
        premise, hypothesis = rng.choice(WORDS, 5), rng.choice(WORDS, 4)
        rows.append(f"{labels[k % 4]}\t( ( {' '.join(premise)} ) )\t( {' '.join(hypothesis)} )")
    text = '\n'.join(rows) + '\n'
    _hub(d2l, monkeypatch, "SNLI", "snli_1.0.zip",
         {"snli_1.0/snli_1.0_train.txt": text, "snli_1.0/snli_1.0_test.txt": text})
    premises, hypotheses, ys = d2l.read_snli(d2l.download_extract('SNLI'), is_train=True)
    assert len(premises) == len(hypotheses) == len(ys) == 90 and set(ys) == {0, 1, 2}
    assert '(' not in premises[0] and len(premises[0].split()) == 5
    train_iter, _, vocab = d2l.load_data_snli(16, num_steps=8)
    (X_premise, X_hypothesis), y = next(iter(train_iter))
    assert X_premise.shape == X_hypothesis.shape == (16, 8) and y.shape == (16,)
    X_shards, y_shards = d2l.split_batch_multi_inputs([X_premise, X_hypothesis], y,
                                                      [d2l.cpu()])
    assert len(X_shards) == 1 and len(X_shards[0]) == 2 and y_shards[0].shape == (16,)
    assert vocab['<pad>'] != vocab.unk


def test_matrix_factorization_on_an_ml100k_archive(d2l, monkeypatch, capsys):
    rng = onp.random.default_rng(3)
    users, items = rng.integers(1, 21, 400), rng.integers(1, 31, 400)
    ratings = 1 + (users + items) % 5  # learnable from user and item biases alone
    rows = ''.join(f'{u}\t{i}\t{r}\t{874965758 + k}\n'
                   for k, (u, i, r) in enumerate(zip(users, items, ratings)))
    _hub(d2l, monkeypatch, "ml-100k", "ml-100k.zip", {"ml-100k/u.data": rows})
    data, num_users, num_items = d2l.read_data_ml100k()
    assert data.shape == (400, 4) and (num_users, num_items) == (20, 30)
    num_users, num_items, train_iter, test_iter = d2l.split_and_load_ml100k(
        split_mode='random', test_ratio=0.1, batch_size=32)

    class MF(nn.Block):
        def __init__(self, num_factors, num_users, num_items, **kwargs):
            super().__init__(**kwargs)
            self.P = nn.Embedding(input_dim=num_users, output_dim=num_factors)
            self.Q = nn.Embedding(input_dim=num_items, output_dim=num_factors)
            self.user_bias = nn.Embedding(num_users, 1)
            self.item_bias = nn.Embedding(num_items, 1)

        def forward(self, user_id, item_id):
            outputs = ((self.P(user_id) * self.Q(item_id)).sum(axis=1)
                       + np.squeeze(self.user_bias(user_id)) + np.squeeze(self.item_bias(item_id)))
            return outputs.flatten()

    def evaluator(net, test_iter, devices):
        rmse = metric.RMSE()  # the book's mx.metric.RMSE
        for users, items, scores in test_iter:
            rmse.update(labels=[scores], preds=[net(users, items)])
        return float(rmse.get()[1])

    devices = [d2l.cpu()]
    net = MF(8, num_users, num_items)
    net.initialize(ctx=devices, force_reinit=True, init=init.Normal(0.01))
    rmse_before = evaluator(net, test_iter, devices)
    trainer = gluon.Trainer(net.collect_params(), 'adam', {'learning_rate': 0.05, 'wd': 1e-5})
    d2l.train_recsys_rating(net, train_iter, test_iter, gluon.loss.L2Loss(), trainer, 10,
                            devices, evaluator)
    assert capsys.readouterr().out.startswith('train loss ')
    assert evaluator(net, test_iter, devices) < rmse_before / 2


def test_gan_updates_and_voc_segmentation_files(d2l, monkeypatch):
    X = np.dot(np.random.normal(0.0, 1, (96, 2)), np.array([[1, 2], [-0.1, 0.5]])) + 1
    net_G, net_D = nn.Sequential(), nn.Sequential()
    net_G.add(nn.Dense(2))
    net_D.add(nn.Dense(5, activation='tanh'), nn.Dense(3, activation='tanh'), nn.Dense(1))
    for net in (net_D, net_G):
        net.initialize(init=init.Normal(0.02))
    loss = gluon.loss.SigmoidBCELoss()
    trainer_D = gluon.Trainer(net_D.collect_params(), 'adam', {'learning_rate': 0.05})
    trainer_G = gluon.Trainer(net_G.collect_params(), 'adam', {'learning_rate': 0.005})
    net_G(np.zeros((1, 2)))  # shapes are inferred on the first call
    G_before = net_G[0].weight.data().copy()
    for batch in d2l.load_array((X,), 8):
        Z = np.random.normal(0, 1, size=(8, 2))
        assert onp.isfinite(d2l.update_D(batch, Z, net_D, net_G, loss, trainer_D))
        assert onp.isfinite(d2l.update_G(Z, net_D, net_G, loss, trainer_G))
    assert not (net_G[0].weight.data() == G_before).all()
    # VOC2012's folders: JPEG images, PNG colour-map labels, split lists
    rng = onp.random.default_rng(4)
    members = {'VOCdevkit/VOC2012/ImageSets/Segmentation/train.txt': 'a\nb\n',
               'VOCdevkit/VOC2012/ImageSets/Segmentation/val.txt': 'b\n'}
    label = onp.zeros((40, 50, 3), onp.uint8)
    label[10:30, 10:30] = (128, 0, 0)  # aeroplane
    for name in 'ab':
        members[f'VOCdevkit/VOC2012/JPEGImages/{name}.jpg'] = book_data.png_bytes(
            rng.integers(0, 255, (40, 50, 3)).astype(onp.uint8), ext=".jpg")
        members[f'VOCdevkit/VOC2012/SegmentationClass/{name}.png'] = book_data.png_bytes(label)
    _hub(d2l, monkeypatch, "voc2012", "VOCtrainval_11-May-2012.zip", members)
    voc_dir = d2l.download_extract('voc2012', os.path.join('VOCdevkit', 'VOC2012'))
    features, labels = d2l.read_voc_images(voc_dir, True)
    assert len(features) == 2 and features[0].shape == labels[0].shape == (40, 50, 3)
    y = d2l.voc_label_indices(labels[0], d2l.voc_colormap2label())
    assert y[20, 20] == 1 and y[0, 0] == 0 and d2l.VOC_CLASSES[1] == 'aeroplane'
    train_iter, _ = d2l.load_data_voc(2, (20, 24))
    X, Y = next(iter(train_iter))
    assert X.shape == (2, 3, 20, 24) and Y.shape == (2, 20, 24)
