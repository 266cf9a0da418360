#!/usr/bin/python3
"""Trains a real/fake network on pixels with PyTorch (a GPU when there is one) and writes it for `train import-detector`.

The Java trainer (`./aidetect train detector`) trains DJL's ResNet-20 on this machine's CPU; a wider network
trained for longer needs a GPU, and this script is the project's recipe for it. It reads a folder in the project's
layout (`real/**` and `fake/**`, any image PIL reads), holds out a fraction of each class (seeded), trains each network
named by `--arch` in turn on the rest (SGD with Nesterov momentum, weight decay, a warm-up then cosine learning rate,
bfloat16 autocast on a GPU; the CIFAR augmentation: the image moved up to `--pad` pixels on a mid-grey border and
mirrored half the time), keeps the epoch with the best held-out accuracy, and writes per network:

  <out>/<name>.pt    its state_dict (float32), what `export` turns into TorchScript on the serving side's torch
  <out>/<name>.json  what was trained how, per-epoch figures, the held-out files and its figures on them (and on
                     `--dev` when given: accuracy, AP, AUC per set of test-time views)
  <out>/heldout.txt  the held-out images (one split for all networks), relative to --images

The input contract is the project's detection networks' (`PixelCrops`, input `rgb`): a batch of 3 x S x S RGB crops,
channels first, each value v/127.5 - 1 (mid-grey padding is 0), two logits out in the order FAKE, REAL.

Train (a GPU: minutes; 2 CPU cores: days):
  python3 deploy/models/train_detector.py train --images ../shared/data/cifake-train --dev ../shared/data/cifake-dev \
      --arch wrn-16-4 --epochs 60 --out /tmp/detector
Export TorchScript with the torch that will serve it (older libtorch builds cannot always read what newer ones write):
  /usr/bin/python3 deploy/models/train_detector.py export --weights /tmp/detector/wrn-16-4.pt --out /tmp/model.pt
"""

import argparse
import json
import math
import os
import random
import sys
import time
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".bmp"}
CLASSES = ["FAKE", "REAL"]


# ---------------------------------------------------------------------------------------------------------------------
# Networks: the CIFAR ResNets (He et al. 2016, option B shortcuts) and wide ResNets (Zagoruyko and Komodakis 2016).

class BasicBlock(nn.Module):
    """Post-activation block of the CIFAR ResNets."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = nn.Sequential()
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        return F.relu(self.bn2(self.conv2(y)) + self.shortcut(x))


class WideBlock(nn.Module):
    """Pre-activation block of the wide ResNets."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(cin)
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.shortcut = None
        if stride != 1 or cin != cout:
            self.shortcut = nn.Conv2d(cin, cout, 1, stride, bias=False)

    def forward(self, x):
        o = F.relu(self.bn1(x))
        y = self.conv1(o)
        y = self.conv2(F.relu(self.bn2(y)))
        return y + (x if self.shortcut is None else self.shortcut(o))


class CifarResNet(nn.Module):
    def __init__(self, depth, width=1, wide=False, classes=2):
        super().__init__()
        if wide:
            if (depth - 4) % 6:
                raise ValueError(f"a wide ResNet's depth is 6n+4 (16, 22, 28, 40), not {depth}")
            blocks, block = (depth - 4) // 6, WideBlock
        else:
            if (depth - 2) % 6:
                raise ValueError(f"a CIFAR ResNet's depth is 6n+2 (20, 32, 44, 56, 110), not {depth}")
            blocks, block = (depth - 2) // 6, BasicBlock
        widths = [16 * width, 32 * width, 64 * width]
        self.wide = wide
        self.stem = nn.Conv2d(3, 16, 3, 1, 1, bias=False)
        self.stem_bn = nn.Identity() if wide else nn.BatchNorm2d(16)
        layers, cin = [], 16
        for stage, cout in enumerate(widths):
            for i in range(blocks):
                layers.append(block(cin, cout, 2 if stage > 0 and i == 0 else 1))
                cin = cout
        self.layers = nn.Sequential(*layers)
        self.final_bn = nn.BatchNorm2d(cin) if wide else nn.Identity()
        self.fc = nn.Linear(cin, classes)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)

    def forward(self, x):
        x = self.stem(x)
        if not self.wide:
            x = F.relu(self.stem_bn(x))
        x = self.layers(x)
        if self.wide:
            x = F.relu(self.final_bn(x))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


def build(arch):
    """`resnet-<depth>` (CIFAR ResNet) or `wrn-<depth>-<width>` (wide ResNet)."""
    parts = arch.split("-")
    try:
        if parts[0] == "resnet" and len(parts) == 2:
            return CifarResNet(int(parts[1]))
        if parts[0] == "wrn" and len(parts) == 3:
            return CifarResNet(int(parts[1]), int(parts[2]), wide=True)
    except ValueError as e:
        raise SystemExit(f"--arch {arch}: {e}")
    raise SystemExit(f"--arch {arch}: use resnet-<depth> (e.g. resnet-56) or wrn-<depth>-<width> (e.g. wrn-16-4)")


# ---------------------------------------------------------------------------------------------------------------------
# Data: every image decoded once into one uint8 tensor; augmentation runs on the training device.

def list_images(root):
    root = Path(root)
    files = []
    for label, sub in ((0, "fake"), (1, "real")):
        folder = root / sub
        if not folder.is_dir():
            raise SystemExit(f"{root} has no {sub}/ folder: use the project's layout, real/** and fake/**")
        files += [(p, label) for p in sorted(folder.rglob("*")) if p.suffix.lower() in IMAGE_SUFFIXES]
    if not files:
        raise SystemExit(f"no images under {root}/real or {root}/fake")
    return files


def decode(files, size):
    """Centre crop (mid-grey padded) of each image as uint8 N x 3 x size x size; PIL decodes, as the project's."""
    from PIL import Image
    import numpy as np
    out = np.full((len(files), size, size, 3), 128, dtype=np.uint8)
    for i, (path, _) in enumerate(files):
        with Image.open(path) as image:
            a = np.asarray(image.convert("RGB"))
        h, w = a.shape[:2]
        top, left = max(0, (h - size) // 2), max(0, (w - size) // 2)
        a = a[top:top + size, left:left + size]
        ph, pw = (size - a.shape[0]) // 2, (size - a.shape[1]) // 2
        out[i, ph:ph + a.shape[0], pw:pw + a.shape[1]] = a
        if (i + 1) % 5000 == 0:
            print(f"  decoded {i + 1}/{len(files)}", flush=True)
    return torch.from_numpy(out).permute(0, 3, 1, 2).contiguous()


def scale(uint8):
    return uint8.float() / 127.5 - 1.0


def augment(batch, pad):
    """Each image moved up to `pad` pixels each way on a mid-grey (0) border, mirrored half the time."""
    n, _, size, _ = batch.shape
    padded = F.pad(batch, (pad, pad, pad, pad), value=0.0)
    dy = torch.randint(0, 2 * pad + 1, (n,), device=batch.device)
    dx = torch.randint(0, 2 * pad + 1, (n,), device=batch.device)
    base = torch.arange(size, device=batch.device)
    # Two gathers: the rows of the window (over the padded width), then its columns.
    rows = (dy[:, None] + base)[:, None, :, None].expand(n, 3, size, size + 2 * pad)
    cols = (dx[:, None] + base)[:, None, None, :].expand(n, 3, size, size)
    out = padded.gather(2, rows).gather(3, cols)
    flip = torch.rand(n, device=batch.device) < 0.5
    return torch.where(flip[:, None, None, None], out.flip(3), out)


def blur(batch, sigmas):
    """Each image blurred with its own Gaussian (separable, edges replicated); sigma 0 leaves it as it is."""
    n, c, h, w = batch.shape
    radius = max(1, int(math.ceil(3 * float(sigmas.max()))))
    x = torch.arange(-radius, radius + 1, device=batch.device, dtype=batch.dtype)
    kernel = torch.exp(-x[None, :] ** 2 / (2 * sigmas.clamp(min=1e-3)[:, None] ** 2))
    kernel = (kernel / kernel.sum(1, keepdim=True)).repeat_interleave(c, 0)
    flat = F.pad(batch.reshape(1, n * c, h, w), (radius, radius, radius, radius), mode="replicate")
    flat = F.conv2d(flat, kernel[:, None, :, None], groups=n * c)
    flat = F.conv2d(flat, kernel[:, None, None, :], groups=n * c)
    return flat.reshape(n, c, h, w)


def views(batch, shift, mirror):
    """The project's test-time views (`TestViews`): the centre, moved `shift` pixels towards each corner, mirrored."""
    out = [batch]
    if shift:
        for dy in (-shift, shift):
            for dx in (-shift, shift):
                moved = torch.roll(batch, shifts=(dy, dx), dims=(2, 3))
                # What rolled in from the far side is beyond the image: mid-grey.
                if dy > 0:
                    moved[:, :, :dy] = 0
                else:
                    moved[:, :, dy:] = 0
                if dx > 0:
                    moved[:, :, :, :dx] = 0
                else:
                    moved[:, :, :, dx:] = 0
                out.append(moved)
    if mirror:
        out += [v.flip(3) for v in out]
    return out


# ---------------------------------------------------------------------------------------------------------------------
# Metrics, as eval defines them (AP and AUC as scikit-learn does; accuracy at a threshold on P(FAKE)).

def p_fake(model, images, device, view_shift=0, mirror=False, batch=1000):
    model.eval()
    out = []
    with torch.no_grad(), autocast(device):
        for i in range(0, len(images), batch):
            x = scale(images[i:i + batch].to(device)).contiguous(memory_format=torch.channels_last)
            probs = [torch.softmax(model(v).float(), 1)[:, 0] for v in views(x, view_shift, mirror)]
            out.append(torch.stack(probs).mean(0).cpu())
    return torch.cat(out)


def best_threshold(scores, labels):
    """The threshold on P(FAKE) with the best accuracy (FAKE at or above it), and that accuracy."""
    order = torch.argsort(scores, descending=True)
    s, fake = scores[order], (labels[order] == 0).float()
    # Calling the top k fake: right = fakes among them + reals below.
    tp = torch.cumsum(fake, 0)
    right = tp + ((1 - fake).sum() - (torch.arange(1, len(s) + 1) - tp))
    k = int(torch.argmax(right))
    threshold = float(s[k]) if k + 1 >= len(s) else float((s[k] + s[k + 1]) / 2)
    return threshold, float(right[k]) / len(s)


def figures(scores, labels, threshold):
    fake = (labels == 0)
    called = scores >= threshold
    result = {"n": len(scores), "accuracy": float((called == fake).float().mean()),
              "realAccuracy": float((~called[~fake]).float().mean()),
              "fakeAccuracy": float(called[fake].float().mean()),
              "bestThresholdAccuracy": best_threshold(scores, labels)[1]}
    try:
        from sklearn.metrics import average_precision_score, roc_auc_score
        result["ap"] = float(average_precision_score(fake.numpy(), scores.numpy()))
        result["auc"] = float(roc_auc_score(fake.numpy(), scores.numpy()))
    except ImportError:
        pass
    return result


def autocast(device):
    if device.type == "cuda":
        return torch.autocast("cuda", dtype=torch.bfloat16)
    return torch.autocast("cpu", enabled=False)


# ---------------------------------------------------------------------------------------------------------------------

def train_one(arch, seed, args, data, device, deadline):
    """Trains one network, its epochs cut to end by `deadline` (seconds since the epoch) when given."""
    train_x, train_y, held_x, held_y = data

    def fresh():
        """The untrained network from the seed, and its optimizer (weight decay on weights, not biases and norms)."""
        torch.manual_seed(seed)
        net = build(arch).to(device).to(memory_format=torch.channels_last)
        decay = [p for p in net.parameters() if p.ndim > 1]
        no_decay = [p for p in net.parameters() if p.ndim <= 1]
        return net, torch.optim.SGD([{"params": decay, "weight_decay": args.weight_decay},
                                     {"params": no_decay, "weight_decay": 0.0}],
                                    lr=args.lr, momentum=0.9, nesterov=True)

    model, optimizer = fresh()
    params = sum(p.numel() for p in model.parameters())
    steps_per_epoch = len(train_x) // args.batch
    gpu_x, gpu_y = train_x.to(device), train_y.to(device)

    def step(idx, lr):
        for g in optimizer.param_groups:
            g["lr"] = lr
        x = augment(scale(gpu_x[idx]), args.pad)
        if args.blur_max > 0:
            # Half the images blurred, sigma uniform in [0, --blur-max], as train detector --augment blur does.
            sigmas = torch.rand(len(idx), device=device) * args.blur_max
            sigmas = torch.where(torch.rand(len(idx), device=device) < 0.5, sigmas, torch.zeros_like(sigmas))
            x = blur(x, sigmas)
        x = x.contiguous(memory_format=torch.channels_last)
        with autocast(device):
            loss = F.cross_entropy(model(x).float(), gpu_y[idx], label_smoothing=args.label_smoothing)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        return loss

    # Time a few steps (after a few that warm up cuDNN's choices) to fit the epochs before the deadline.
    model.train()
    for i in range(15):
        if i == 5:
            if device.type == "cuda":
                torch.cuda.synchronize()
            t0 = time.time()
        step(torch.randint(0, len(gpu_x), (args.batch,), device=device), args.lr * 0.01)
    if device.type == "cuda":
        torch.cuda.synchronize()
    epoch_s = (time.time() - t0) / 10 * steps_per_epoch * 1.1
    epochs = args.epochs
    if deadline:
        fit = int((deadline - time.time()) / epoch_s)
        if fit < epochs:
            print(f"{arch}: {epochs} epochs would take about {epochs * epoch_s:.0f} s; {fit} fit before the deadline",
                  flush=True)
            epochs = fit
        if epochs < 1:
            print(f"{arch}: no time left for an epoch; skipped", flush=True)
            return None
    print(f"{arch}: {params / 1e6:.2f} M parameters, {epochs} epochs of {steps_per_epoch} steps "
          f"(batch {args.batch}), about {epoch_s:.1f} s an epoch on {device}", flush=True)

    # The timing steps moved the weights: train from the same seed afresh (step() sees the new pair).
    model, optimizer = fresh()
    total = epochs * steps_per_epoch
    warmup = min(total // 10, 2 * steps_per_epoch)
    history, best, best_state = [], -1.0, None
    started = time.time()
    for epoch in range(1, epochs + 1):
        model.train()
        order = torch.randperm(len(gpu_x), device=device)
        loss_sum = torch.zeros((), device=device)
        for s in range(steps_per_epoch):
            t = (epoch - 1) * steps_per_epoch + s
            lr = args.lr * (t + 1) / warmup if t < warmup else \
                args.lr * 0.5 * (1 + math.cos(math.pi * (t - warmup) / max(1, total - warmup)))
            loss_sum += step(order[s * args.batch:(s + 1) * args.batch], lr).detach()
        scores = p_fake(model, held_x, device)
        accuracy = float(((scores >= 0.5) == (held_y == 0)).float().mean())
        elapsed = time.time() - started
        history.append({"epoch": epoch, "loss": float(loss_sum) / steps_per_epoch, "heldOutAccuracy": accuracy,
                        "seconds": round(elapsed, 1)})
        print(f"{arch} epoch {epoch}/{epochs}: loss {float(loss_sum) / steps_per_epoch:.4f}, held-out accuracy "
              f"{accuracy:.4f}, {elapsed:.0f} s, about {elapsed / epoch * (epochs - epoch):.0f} s left", flush=True)
        if accuracy >= best:
            best = accuracy
            best_state = {k: v.detach().float().cpu().clone() for k, v in model.state_dict().items()}
    model.load_state_dict(best_state)
    return model, history, epochs, time.time() - started, params


def evaluate(model, device, held_x, held_y, dev, args):
    """Figures on the held-out split and the dev set for each set of test-time views; thresholds from held-out."""
    result = {}
    for name, shift, mirror in (("centre", 0, False), ("mirror", 0, True), ("shift2-mirror", 2, True)):
        held = p_fake(model, held_x, device, shift, mirror)
        threshold, _ = best_threshold(held, held_y)
        entry = {"threshold": threshold, "heldOut": figures(held, held_y, threshold)}
        if dev is not None:
            scores = p_fake(model, dev[0], device, shift, mirror)
            entry["dev"] = figures(scores, dev[1], threshold)
            entry["dev"]["accuracyAtHalf"] = float(((scores >= 0.5) == (dev[1] == 0)).float().mean())
        if dev is not None and name == "mirror":
            for sigma in args.dev_blur:
                blurred = blur(scale(dev[0]), torch.full((len(dev[0]),), sigma))
                blurred_scores = p_fake(model, ((blurred + 1) * 127.5).round().clamp(0, 255).to(torch.uint8), device,
                                        0, True)
                entry["dev"][f"blur{sigma:g}"] = figures(blurred_scores, dev[1], threshold)
                print(f"  views mirror, dev blurred sigma {sigma:g}: acc {entry['dev'][f'blur{sigma:g}']['accuracy']:.4f}"
                      f", ap {entry['dev'][f'blur{sigma:g}'].get('ap', 0):.4f}", flush=True)
        result[name] = entry
        line = f"  views {name:14s} threshold {threshold:.3f}: held-out acc {entry['heldOut']['accuracy']:.4f}"
        if dev is not None:
            d = entry["dev"]
            line += (f"; dev acc {d['accuracy']:.4f} (at 0.5: {d['accuracyAtHalf']:.4f}), ap {d.get('ap', 0):.4f}, "
                     f"auc {d.get('auc', 0):.4f}, best-threshold {d['bestThresholdAccuracy']:.4f}")
        print(line, flush=True)
    return result


def train(args):
    deadline = time.time() + args.deadline_minutes * 60 if args.deadline_minutes else None
    device = torch.device("cuda" if torch.cuda.is_available() and args.device != "cpu" else "cpu")
    if device.type == "cuda":
        torch.backends.cudnn.benchmark = True
        print(f"device: {torch.cuda.get_device_name(0)}, torch {torch.__version__}", flush=True)
    else:
        print(f"device: CPU ({os.cpu_count()} cores), torch {torch.__version__}: this takes long; use a GPU",
              flush=True)
    files = list_images(args.images)
    rng = random.Random(args.seed)
    held, kept = [], []
    for label in (0, 1):
        of_class = [f for f in files if f[1] == label]
        rng.shuffle(of_class)
        cut = int(round(len(of_class) * args.validation))
        held += of_class[:cut]
        kept += of_class[cut:]
    if args.limit:
        def of_each(items, n):
            return [f for f in items if f[1] == 0][:n // 2] + [f for f in items if f[1] == 1][:n // 2]
        kept, held = of_each(kept, args.limit), of_each(held, max(4, args.limit // 10))
    print(f"decoding {len(kept)} training and {len(held)} held-out images from {args.images}", flush=True)
    train_x, held_x = decode(kept, args.size), decode(held, args.size)
    train_y = torch.tensor([f[1] for f in kept])
    held_y = torch.tensor([f[1] for f in held])
    dev = None
    if args.dev:
        dev_files = list_images(args.dev)
        if args.limit:
            dev_files = of_each(dev_files, max(4, args.limit // 10))
        print(f"decoding {len(dev_files)} dev images from {args.dev} (scored, never trained or chosen on)", flush=True)
        dev = (decode(dev_files, args.size), torch.tensor([f[1] for f in dev_files]))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    # One split for every network: what `train import-detector --held-out` calibrates each on, and an ensemble of them.
    (out / "heldout.txt").write_text("".join(f"{Path(p).relative_to(args.images)}\n" for p, _ in held))
    for i, entry in enumerate(args.arch):
        arch, _, seed = entry.partition("@")
        seed = int(seed) if seed else args.seed
        # Each network gets an equal share of what is left, less a little for scoring and writing it.
        share = None
        if deadline:
            share = time.time() + (deadline - time.time()) / (len(args.arch) - i) - 15
        trained = train_one(arch, seed, args, (train_x, train_y, held_x, held_y), device, share)
        if trained is None:
            continue
        model, history, epochs, seconds, params = trained
        name = f"{arch}-s{seed}"
        print(f"{arch}: trained in {seconds:.0f} s; best held-out epoch "
              f"{max(history, key=lambda h: (h['heldOutAccuracy'], h['epoch']))['epoch']}", flush=True)
        report = evaluate(model, device, held_x, held_y, dev, args)
        torch.save({k: v.float().cpu() for k, v in model.state_dict().items()}, out / f"{name}.pt")
        meta = {"arch": arch, "parameters": params, "classes": CLASSES, "input": "rgb", "cropSize": args.size,
                "seed": seed, "splitSeed": args.seed, "epochs": epochs, "batch": args.batch, "learningRate": args.lr,
                "weightDecay": args.weight_decay, "pad": args.pad, "blurMax": args.blur_max, "labelSmoothing": args.label_smoothing,
                "validation": args.validation, "trainImages": len(kept), "heldOutImages": len(held),
                "trainSeconds": round(seconds, 1), "device": torch.cuda.get_device_name(0)
                if device.type == "cuda" else f"cpu x{os.cpu_count()}", "torch": torch.__version__,
                "command": " ".join(sys.argv), "views": report, "history": history,
                "heldOut": [str(Path(p).relative_to(args.images)) for p, _ in held]}
        (out / f"{name}.json").write_text(json.dumps(meta, indent=1))
        print(f"{arch}: wrote {out / name}.pt and .json", flush=True)


def export(args):
    """TorchScript of a state_dict written by `train`, on this torch (the one DJL's libtorch can read)."""
    state = torch.load(args.weights, map_location="cpu")
    meta_path = Path(args.weights).with_suffix(".json")
    arch = args.arch or json.loads(meta_path.read_text())["arch"]
    model = build(arch)
    model.load_state_dict(state)
    model.eval()
    size = args.size
    example = torch.zeros(2, 3, size, size)
    traced = torch.jit.trace(model, example)
    check = torch.rand(4, 3, size, size) * 2 - 1
    if not torch.allclose(traced(check), model(check), atol=1e-5):
        raise SystemExit("the traced module does not match the network; report this")
    traced.save(args.out)
    print(f"exported {arch} from {args.weights} to {args.out} (torch {torch.__version__})")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train", help="train networks on a labelled folder")
    t.add_argument("--images", required=True, help="training folder: real/** and fake/**")
    t.add_argument("--dev", help="a folder to score each network on at the end (never used to train or choose)")
    t.add_argument("--arch", nargs="+", default=["wrn-16-4"],
                   help="resnet-<depth> or wrn-<depth>-<width>, in turn; @N after one trains it with seed N "
                        "(the held-out split stays --seed's)")
    t.add_argument("--epochs", type=int, default=60)
    t.add_argument("--batch", type=int, default=256)
    t.add_argument("--lr", type=float, default=0.2, help="peak learning rate (SGD, Nesterov momentum 0.9)")
    t.add_argument("--weight-decay", type=float, default=5e-4)
    t.add_argument("--label-smoothing", type=float, default=0.0)
    t.add_argument("--pad", type=int, default=4, help="training shifts: up to this many pixels each way")
    t.add_argument("--blur-max", type=float, default=0.0,
                   help="blur half the training images, Gaussian sigma uniform in [0, this] (0: none; for robustness)")
    t.add_argument("--dev-blur", type=float, nargs="*", default=[],
                   help="also score --dev blurred with these sigmas (the eval sweep's blur=...)")
    t.add_argument("--size", type=int, default=32, help="crop side: the centre crop, mid-grey padded")
    t.add_argument("--validation", type=float, default=0.1, help="fraction of each class held out")
    t.add_argument("--seed", type=int, default=42, help="the held-out split's seed, and the networks' by default")
    t.add_argument("--limit", type=int, default=0, help="train on this many images only (smoke tests)")
    t.add_argument("--device", default="auto", help="auto (a GPU when there is one) or cpu")
    t.add_argument("--deadline-minutes", type=float, default=0,
                   help="fit every network into this many minutes from the start (fewer epochs if need be)")
    t.add_argument("--out", required=True)
    e = sub.add_parser("export", help="write TorchScript of a trained state_dict with this torch")
    e.add_argument("--weights", required=True, help="<name>.pt written by train (its .json beside it names the arch)")
    e.add_argument("--arch", help="the network, when no .json is beside the weights")
    e.add_argument("--size", type=int, default=32)
    e.add_argument("--out", required=True)
    args = parser.parse_args()
    train(args) if args.command == "train" else export(args)


if __name__ == "__main__":
    main()
