package dev.aidetect.heads;

import smile.classification.Classifier;
import smile.feature.extraction.PCA;

import dev.aidetect.heads.natives.OpenBlas;

/**
 * A model fitted on reduced vectors: reduces a preprocessed vector onto the first k principal components or through
 * an autoencoder's encoder, then asks the inner model. Exactly one of the two reductions is set; artifacts written
 * before the autoencoder existed deserialise with it {@code null}.
 */
final class ProjectedClassifier implements Classifier<double[]> {
    static {
        // Smile binds BLAS/LAPACK on first use; make sure it finds an OpenBLAS.
        OpenBlas.ensureLoaded();
    }

    private static final long serialVersionUID = 1L;
    private final PCA pca;
    private final Classifier<double[]> inner;
    /** Added in head format 3; a compatible serialisation change (older streams leave it null). */
    private final AutoencoderReduction autoencoder;

    ProjectedClassifier(PCA pca, Classifier<double[]> inner) {
        this(pca, null, inner);
    }

    ProjectedClassifier(AutoencoderReduction autoencoder, Classifier<double[]> inner) {
        this(null, autoencoder, inner);
    }

    private ProjectedClassifier(PCA pca, AutoencoderReduction autoencoder, Classifier<double[]> inner) {
        this.pca = pca;
        this.autoencoder = autoencoder;
        this.inner = inner;
    }

    /** The projection onto the first {@code k} components of {@code x}. */
    static PCA fit(double[][] x, int k) {
        HeadReduction.pca(k).checkInput(x[0].length);
        return PCA.fit(x).getProjection(k);
    }

    private double[] reduce(double[] x) {
        return pca != null ? pca.apply(x) : autoencoder.apply(x);
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
        return inner.predict(reduce(x));
    }

    @Override
    public boolean isSoft() {
        return inner.isSoft();
    }

    @Override
    public int predict(double[] x, double[] posteriori) {
        return inner.predict(reduce(x), posteriori);
    }
}
