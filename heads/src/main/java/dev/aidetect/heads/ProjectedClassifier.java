package dev.aidetect.heads;

import smile.classification.Classifier;
import smile.feature.extraction.PCA;

import dev.aidetect.heads.natives.OpenBlas;

/** A model fitted on the first k principal components: projects a preprocessed vector, then asks the inner model. */
final class ProjectedClassifier implements Classifier<double[]> {
    static {
        // Smile binds BLAS/LAPACK on first use; make sure it finds an OpenBLAS.
        OpenBlas.ensureLoaded();
    }

    private static final long serialVersionUID = 1L;
    private final PCA pca;
    private final Classifier<double[]> inner;

    ProjectedClassifier(PCA pca, Classifier<double[]> inner) {
        this.pca = pca;
        this.inner = inner;
    }

    /** The projection onto the first {@code k} components of {@code x}. */
    static PCA fit(double[][] x, int k) {
        if (k >= x[0].length) {
            throw new IllegalArgumentException("PCA to " + k + " dimensions needs vectors longer than " + k
                    + ", got size " + x[0].length + "; choose a smaller --pca");
        }
        return PCA.fit(x).getProjection(k);
    }

    @Override
    public int numClasses() {
        return inner.numClasses();
    }

    @Override
    public int[] classes() {
        return inner.classes();
    }

    @Override
    public int predict(double[] x) {
        return inner.predict(pca.apply(x));
    }

    @Override
    public boolean isSoft() {
        return inner.isSoft();
    }

    @Override
    public int predict(double[] x, double[] posteriori) {
        return inner.predict(pca.apply(x), posteriori);
    }
}
