"""Vision data sets: MNIST, Fashion-MNIST, CIFAR-10/100 in MXNet's on-disk layouts, image
folders, image lists and RecordIO image files.

Items are what MXNet gives in numpy mode: an (H, W, C) uint8 ``mx.np`` image and a 0-d int32
``mx.np`` label for the downloaded sets; ``transform(image, label)`` is applied per access.
"""
from __future__ import annotations

import os
import warnings

import numpy as onp  # only for the bytes read from files

from .... import numpy as np
from ....image import imdecode, imread
from ..dataset import Dataset, RecordFileDataset, _DownloadedDataset
from . import _files

__all__ = [
    "CIFAR10",
    "CIFAR100",
    "MNIST",
    "FashionMNIST",
    "ImageFolderDataset",
    "ImageListDataset",
    "ImageRecordDataset",
]

_IMAGE_EXTS = (".jpg", ".jpeg", ".png")


class MNIST(_DownloadedDataset):
    """The MNIST digits: 28x28x1 uint8 images and int32 labels, from ``root`` (or downloaded)."""

    _namespace = "mnist"
    _train_data = ("train-images-idx3-ubyte.gz", "6c95f4b05d2bf285e1bfb0e7960c31bd3b3f8a7d")
    _train_label = ("train-labels-idx1-ubyte.gz", "2a80914081dc54586dbdf242f9805a6b8d2a15fc")
    _test_data = ("t10k-images-idx3-ubyte.gz", "c3a25af1f52dad7f726cce8cacb138654b760d48")
    _test_label = ("t10k-labels-idx1-ubyte.gz", "763e7fa3757d93b0cdec073cef058b2004252c17")

    def __init__(self, root=None, train=True, transform=None):
        self._train = train
        super().__init__(root or _files.default_root(self._namespace), transform)

    def _get_data(self):
        data, label = ((self._train_data, self._train_label) if self._train
                       else (self._test_data, self._test_label))
        namespace = "gluon/dataset/" + self._namespace
        data_file = _files.fetch(self._root, namespace, *data)
        label_file = _files.fetch(self._root, namespace, *label)
        labels = _files.read_idx(label_file, 1)
        images = _files.read_idx(data_file, 3)
        if len(images) != len(labels):
            raise _files.DatasetFileError(
                f"{data_file} holds {len(images)} images but {label_file} {len(labels)} labels")
        self._data = np.array(images[..., None], dtype="uint8")
        self._label = np.array(labels, dtype="int32")


class FashionMNIST(MNIST):
    """Zalando's Fashion-MNIST, a drop-in MNIST replacement: 28x28x1 uint8 images."""

    _namespace = "fashion-mnist"
    _train_data = ("train-images-idx3-ubyte.gz", "0cf37b0d40ed5169c6b3aba31069a9770ac9043d")
    _train_label = ("train-labels-idx1-ubyte.gz", "236021d52f1e40852b06a4c3008d8de8aef1e40b")
    _test_data = ("t10k-images-idx3-ubyte.gz", "626ed6a7c06dd17c0eec72fa3be1740f146a2863")
    _test_label = ("t10k-labels-idx1-ubyte.gz", "17f9ab60e7257a1620f4ad76bbbaf857c3920701")

    def __init__(self, root=None, train=True, transform=None):
        super().__init__(root or _files.default_root(self._namespace), train, transform)


class CIFAR10(_DownloadedDataset):
    """CIFAR-10: 32x32x3 uint8 images in 10 classes, from ``root`` (or downloaded)."""

    _namespace = "cifar10"
    _archive_file = ("cifar-10-binary.tar.gz", "fab780a1e191a7eda0f345501ccd62d20f7ed891")
    _train_data = (("data_batch_1.bin", "aadd24acce27caa71bf4b10992e9e7b2d74c2540"),
                   ("data_batch_2.bin", "c0ba65cce70568cd57b4e03e9ac8d2a5367c1795"),
                   ("data_batch_3.bin", "1dd00a74ab1d17a6e7d73e185b69dbf31242f295"),
                   ("data_batch_4.bin", "aab85764eb3584312d3c7f65fd2fd016e36a258e"),
                   ("data_batch_5.bin", "26e2849e66a845b7f1e4614ae70f4889ae604628"))
    _test_data = (("test_batch.bin", "67eb016db431130d61cd03c7ad570b013799c88c"),)
    _label_bytes = 1

    def __init__(self, root=None, train=True, transform=None):
        self._train = train
        super().__init__(root or _files.default_root(self._namespace), transform)

    def _label_column(self):
        return 0

    def _get_data(self):
        files = list(self._train_data) + list(self._test_data)
        if not all(_files.is_good(os.path.join(self._root, n), s) for n, s in files):
            archive = _files.fetch(self._root, "gluon/dataset/" + self._namespace,
                                   *self._archive_file)
            _files.extract_members(archive, self._root, [n for n, _ in files])
        images, labels = [], []
        for name, _ in self._train_data if self._train else self._test_data:
            label, image = _files.read_records(os.path.join(self._root, name),
                                               self._label_bytes, 3 * 32 * 32)
            labels.append(label[:, self._label_column()])
            images.append(image)
        # records hold each image as three 32x32 planes (CHW); items are HWC
        data = np.array(onp.concatenate(images), dtype="uint8")
        self._data = data.reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
        self._label = np.array(onp.concatenate(labels), dtype="int32")


class CIFAR100(CIFAR10):
    """CIFAR-100: 32x32x3 uint8 images; 20 coarse labels, or 100 with ``fine_label=True``."""

    _namespace = "cifar100"
    _archive_file = ("cifar-100-binary.tar.gz", "a0bb982c76b83111308126cc779a992fa506b90b")
    _train_data = (("train.bin", "e207cd2e05b73b1393c74c7f5e7bea451d63e08e"),)
    _test_data = (("test.bin", "8fb6623e830365ff53cf14adec797474f5478006"),)
    _label_bytes = 2

    def __init__(self, root=None, fine_label=False, train=True, transform=None):
        self._fine_label = fine_label
        super().__init__(root or _files.default_root(self._namespace), train, transform)

    def _label_column(self):
        return 1 if self._fine_label else 0


def _decode_or_explain(what, read):
    """Run ``read()``; a missing image decoder becomes an ImportError naming the data set."""
    try:
        return read()
    except ImportError as e:
        raise ImportError(f"{what} decodes images with Pillow, which is not installed: run "
                          "`pip install 'mxnp[vision]'` (or `pip install pillow`)") from e


class ImageRecordDataset(RecordFileDataset):
    """The images of a RecordIO file (``.rec`` + ``.idx``), decoded, with their header labels."""

    def __init__(self, filename, flag=1, transform=None):
        super().__init__(filename)
        self._flag = flag
        self._transform = transform

    def __getitem__(self, idx):
        from .... import recordio

        header, img = recordio.unpack(super().__getitem__(idx))
        img = _decode_or_explain("ImageRecordDataset", lambda: imdecode(img, self._flag))
        if self._transform is not None:
            return self._transform(img, header.label)
        return img, header.label


class ImageFolderDataset(Dataset):
    """Images in ``root/<class name>/<file>``: label i is the i-th class folder in sorted order."""

    def __init__(self, root, flag=1, transform=None):
        self._root = os.path.expanduser(root)
        self._flag = flag
        self._transform = transform
        self._exts = list(_IMAGE_EXTS)
        self._list_images(self._root)

    def _list_images(self, root):
        self.synsets, self.items = [], []
        for folder in sorted(os.listdir(root)):
            path = os.path.join(root, folder)
            if not os.path.isdir(path):
                warnings.warn(f"Ignoring {path}, which is not a directory.", stacklevel=3)
                continue
            label = len(self.synsets)
            self.synsets.append(folder)
            for filename in sorted(os.listdir(path)):
                filename = os.path.join(path, filename)
                ext = os.path.splitext(filename)[1]
                if ext.lower() not in self._exts:
                    warnings.warn(f"Ignoring {filename} of type {ext}. Only support "
                                  f"{', '.join(self._exts)}")
                    continue
                self.items.append((filename, label))

    def __getitem__(self, idx):
        path, label = self.items[idx]
        img = _decode_or_explain("ImageFolderDataset", lambda: imread(path, self._flag))
        if self._transform is not None:
            return self._transform(img, label)
        return img, label

    def __len__(self):
        return len(self.items)


class ImageListDataset(Dataset):
    """Images named in a list: a ``.lst`` file (index, label(s), path; tab separated) or a
    Python list of ``[label(s)..., path]`` entries, with paths relative to ``root``."""

    def __init__(self, root=".", imglist=None, flag=1):
        self._root = os.path.expanduser(root)
        self._flag = flag
        self.items = []
        if isinstance(imglist, str):
            # a list file is looked for as given, then inside root
            path = imglist if os.path.exists(imglist) else os.path.join(self._root, imglist)
            with open(path) as f:
                rows = [line.rstrip("\n").split("\t") for line in f if line.strip()]
            entries = [row[1:] for row in rows]
        else:
            entries = [list(e) if isinstance(e, (list, tuple)) else [e] for e in imglist or []]
        for entry in entries:
            if len(entry) < 2:
                raise ValueError(f"ImageListDataset: an entry needs a label and a path, got "
                                 f"{entry!r}")
            labels = [float(v) for v in entry[:-1]]
            label = labels[0] if len(labels) == 1 else np.array(labels, dtype="float32")
            self.items.append((os.path.join(self._root, entry[-1]), label))

    def __getitem__(self, idx):
        path, label = self.items[idx]
        return _decode_or_explain("ImageListDataset", lambda: imread(path, self._flag)), label

    def __len__(self):
        return len(self.items)
