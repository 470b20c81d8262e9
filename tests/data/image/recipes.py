"""What mxnet_fixtures.py (run under MXNet 1.9.1) and tests/test_image_mxnet.py (run under mxnp)
both build: the test images, labels and option sets, and the augmenters, made from whichever
``mx`` module is passed in."""
import numpy as onp

EIGVAL = [55.46, 4.794, 1.148]
EIGVEC = [[-0.5675, 0.7192, 0.4009], [-0.5808, -0.0045, -0.8140], [-0.5836, -0.6948, 0.4203]]
FULL = {"resize": 10, "rand_crop": True, "rand_resize": True, "rand_mirror": True, "mean": True,
        "std": True, "brightness": 0.2, "contrast": 0.2, "saturation": 0.2, "hue": 0.2,
        "pca_noise": 0.1, "rand_gray": 0.3}
DET_FULL = {"resize": 12, "rand_crop": 0.7, "rand_pad": 0.5, "rand_mirror": True, "mean": True,
            "std": True, "brightness": 0.2, "hue": 0.1, "pca_noise": 0.1, "rand_gray": 0.2}
LABEL = [[0, .1, .2, .5, .6], [1, .4, .3, .9, .95]]
DETLIST = [[2, 5, 0, .1, .2, .5, .6, 1, .4, .3, .9, .95, "0.png"],
           [2, 5, 3, .2, .2, .7, .8, "1.png"]]


def images():
    """The two test images, uint8 (H, W, 3), from NumPy's seeded RandomState."""
    r = onp.random.RandomState(0)
    return {"a": r.randint(0, 256, (7, 9, 3)).astype(onp.uint8),
            "b": r.randint(0, 256, (16, 12, 3)).astype(onp.uint8)}


def pictures():
    """The six images ImageIter reads (as PNG files named 0.png ... 5.png)."""
    a, b = images()["a"], images()["b"]
    return [onp.ascontiguousarray(p) for p in (a, b[:8], a[::-1], b[5:, ::-1], a[:, 2:], b)]


def augmenters(mx):
    """Makers of the image augmenters run after seeding."""
    img = mx.image
    return {
        "brightness": lambda: img.BrightnessJitterAug(0.5),
        "contrast": lambda: img.ContrastJitterAug(0.5),
        "saturation": lambda: img.SaturationJitterAug(0.5),
        "hue": lambda: img.HueJitterAug(0.4),
        "color": lambda: img.ColorJitterAug(0.3, 0.3, 0.3),
        "lighting": lambda: img.LightingAug(0.1, onp.array(EIGVAL), onp.array(EIGVEC)),
        "gray": lambda: img.RandomGrayAug(0.5),
        "flip": lambda: img.HorizontalFlipAug(0.5),
        "normalize": lambda: img.ColorNormalizeAug([120., 110., 100.], [60., 50., 40.]),
        "resize": lambda: img.ResizeAug(5),
        "force_resize": lambda: img.ForceResizeAug((5, 11), interp=1),
        "random_crop": lambda: img.RandomCropAug((4, 3)),
        "random_sized_crop": lambda: img.RandomSizedCropAug((5, 5), 0.3, (0.75, 1.33), 10),
        "center_crop": lambda: img.CenterCropAug((6, 6)),
        "random_order": lambda: img.RandomOrderAug([img.ResizeAug(4, 1),
                                                    img.HorizontalFlipAug(1.0)]),
    }


def det_augmenters(mx):
    """Makers of the detection augmenters run after seeding."""
    img = mx.image
    return {
        "flip": lambda: img.DetHorizontalFlipAug(0.5),
        "crop": lambda: img.DetRandomCropAug(0.3, (0.5, 2.0), (0.2, 1.0)),
        "pad": lambda: img.DetRandomPadAug((0.5, 2.0), (1.0, 3.0), pad_val=(1, 2, 3)),
        "select": lambda: img.CreateMultiRandCropAugmenter([0.1, 0.5], [(0.5, 2.0)], (0.1, 1.0),
                                                           skip_prob=0.3),
    }
