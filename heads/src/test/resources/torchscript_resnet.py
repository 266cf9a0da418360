"""Writes a tiny torchvision ResNet-18 as TorchScript and its class probabilities for one input crop.

Usage: torchscript_resnet.py MODEL.pt INPUT.bin CROP CLASSES PROBABILITIES.txt
INPUT.bin holds 3*CROP*CROP little-endian float32 values (channels first), as the Java side feeds the network.
"""
import sys

import numpy as np
import torch
import torchvision

model_path, input_path, crop, classes, out_path = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
torch.manual_seed(7)
model = torchvision.models.resnet18(num_classes=classes)
with torch.no_grad():
    # Spread the logits so the probabilities are far from uniform and a mismatch would show.
    model.fc.weight.mul_(20)
model.eval()
scripted = torch.jit.script(model)
scripted.save(model_path)
crop_input = torch.from_numpy(np.fromfile(input_path, dtype="<f4").reshape(1, 3, crop, crop))
with torch.no_grad():
    probabilities = torch.softmax(scripted(crop_input).double(), dim=1)[0]
with open(out_path, "w") as out:
    out.write("\n".join(repr(float(p)) for p in probabilities))
