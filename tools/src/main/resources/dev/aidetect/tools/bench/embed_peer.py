"""The Python peer of `aidetect bench embed`: the job done the way a user would write it.

PIL decodes each JPEG, torchvision applies CLIP's preprocessing (bicubic resize of the short side to the input size,
centre crop, CLIP mean/std), and torch.jit.load runs the same TorchScript encoder the JVM runs, in batches of the
same size on the same number of threads. All images are offered at the start: an image's latency runs from then to
the end of its batch. Prints progress on stderr and one JSON line of figures on stdout.

--precision picks the manifest's file (float32: file, float16: fp16File, bfloat16: bf16File; half exports take and
return float32). --device auto runs on CUDA when torch sees a GPU (float16 needs one), cpu never, gpu insists.

Run with Debian's torch: /usr/bin/python3 embed_peer.py --manifest M --batch B --threads T --images N FILE...
"""

import argparse
import io
import json
import os
import sys
import time

import torch
from PIL import Image
from torchvision import transforms


# --precision -> the manifest field naming the export to run
FILE_FIELDS = {"float32": "file", "float16": "fp16File", "bfloat16": "bf16File"}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--manifest", required=True, help="the encoder's manifest.json")
    parser.add_argument("--batch", type=int, required=True, help="images per forward pass")
    parser.add_argument("--threads", type=int, required=True, help="torch.set_num_threads")
    parser.add_argument("--images", type=int, required=True, help="images to embed, cycling through the files")
    parser.add_argument("--precision", choices=sorted(FILE_FIELDS), default="float32", help="which export to run")
    parser.add_argument("--device", choices=["auto", "cpu", "gpu"], default="auto", help="where to run it")
    parser.add_argument("--draft", action="store_true",
                        help='decode each JPEG in draft mode first: Image.draft("RGB", (size, size))')
    parser.add_argument("files", nargs="+", help="JPEG files")
    return parser.parse_args()


def device_for(args):
    """CUDA when a GPU is there and allowed; exits when the device or precision asks for one that is not there."""
    cuda = args.device != "cpu" and torch.cuda.is_available()
    if not cuda and (args.device == "gpu" or args.precision == "float16"):
        raise SystemExit(f"--device {args.device} --precision {args.precision} needs a CUDA GPU, and torch "
                         f"{torch.__version__} sees none")
    return torch.device("cuda" if cuda else "cpu")


def peak_rss_kb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def main():
    args = parse_args()
    torch.set_num_threads(args.threads)
    with open(args.manifest) as f:
        manifest = json.load(f)
    field = FILE_FIELDS[args.precision]
    if field not in manifest:
        raise SystemExit(f"{args.manifest} has no {field}: export the encoder with --{field[:4]}")
    device = device_for(args)
    model = torch.jit.load(os.path.join(os.path.dirname(args.manifest), manifest[field]), map_location=device)
    model.eval()
    size = manifest["inputSize"]
    preprocess = transforms.Compose([
        transforms.Resize(size, interpolation=transforms.InterpolationMode.BICUBIC),
        transforms.CenterCrop(size),
        transforms.ToTensor(),
        transforms.Normalize(manifest["mean"], manifest["std"]),
    ])
    distinct = []
    for name in args.files:
        with open(name, "rb") as f:
            distinct.append(f.read())
    images = [distinct[i % len(distinct)] for i in range(args.images)]

    def decode(data):
        image = Image.open(io.BytesIO(data))
        if args.draft:
            image.draft("RGB", (size, size))
        return image.convert("RGB")

    def embed(batch):
        tensors = [preprocess(decode(data)) for data in batch]
        with torch.no_grad():
            vectors = model(torch.stack(tensors).to(device))
        if device.type == "cuda":
            torch.cuda.synchronize()
        return vectors

    for _ in range(2):  # warm-up: TorchScript's profiling executor optimises the graph on the second run
        embed(images[:args.batch])
    latencies = []
    start = time.perf_counter()
    for first in range(0, len(images), args.batch):
        batch = images[first:first + args.batch]
        embed(batch)
        latencies.extend([(time.perf_counter() - start) * 1000] * len(batch))
        print(f"\r  python: {len(latencies)}/{len(images)} images", end="", file=sys.stderr, flush=True)
    seconds = time.perf_counter() - start
    print(file=sys.stderr)
    print(json.dumps({"mode": "python", "images": len(images), "seconds": seconds, "latenciesMs": latencies,
                      "peakRssKb": peak_rss_kb()}))


if __name__ == "__main__":
    main()
