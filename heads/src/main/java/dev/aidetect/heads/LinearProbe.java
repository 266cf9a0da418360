package dev.aidetect.heads;

/** A fixed binary linear probe: P(class 1) = sigmoid(weight . x + bias). Used for imported, published probes. */
final class LinearProbe implements BinaryClassifier {
    private static final long serialVersionUID = 1L;
    private final double[] weight;
    private final double bias;

    LinearProbe(double[] weight, double bias) {
        this.weight = weight.clone();
        this.bias = bias;
    }

    @Override
    public double score(double[] x) {
        double logit = bias;
        for (int i = 0; i < weight.length; i++) {
            logit += weight[i] * x[i];
        }
        return logit;
    }

    @Override
    public boolean isSoft() {
        return true;
    }

    @Override
    public int predict(double[] x, double[] posteriori) {
        double logit = score(x);
        posteriori[1] = 1 / (1 + Math.exp(-logit));
        posteriori[0] = 1 - posteriori[1];
        return logit > 0 ? 1 : 0;
    }
}
