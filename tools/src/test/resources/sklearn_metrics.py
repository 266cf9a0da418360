"""The reference numbers for BinaryMetricsSklearnTest: scikit-learn's metrics on the same labels and scores.

Reads lines "label score" from argv[1] (label 0 or 1); prints, one per line, average_precision_score, roc_auc_score,
accuracy_score at the threshold argv[2] (score >= threshold is positive, as the heads decide) and the best accuracy
over every cut point (each distinct score, and above the highest: everything negative), as UniversalFakeDetect
reports it.
"""
import sys

import numpy as np
from sklearn.metrics import accuracy_score, average_precision_score, roc_auc_score

data = np.loadtxt(sys.argv[1], ndmin=2)
y, s = data[:, 0].astype(int), data[:, 1]
threshold = float(sys.argv[2])
cuts = np.append(np.unique(s), np.inf)
best = max(accuracy_score(y, (s >= t).astype(int)) for t in cuts)
for value in (average_precision_score(y, s), roc_auc_score(y, s), accuracy_score(y, (s >= threshold).astype(int)),
              best):
    print(repr(float(value)))
