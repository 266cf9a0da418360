package dev.aidetect.heads;

import smile.classification.Classifier;
import smile.classification.DataFrameClassifier;
import smile.data.DataFrame;
import smile.data.Tuple;
import smile.data.formula.Formula;
import smile.data.type.StructType;

import dev.aidetect.heads.natives.OpenBlas;

/**
 * Adapts Smile's tree models, which train on a {@link DataFrame} with a {@link Formula}, to plain vectors: columns
 * {@code V1..Vp} hold the vector, the last column {@code y} the class. Consumes a preprocessed vector, produces class
 * probabilities.
 */
final class FrameClassifier implements Classifier<double[]> {
    static {
        // Smile binds BLAS/LAPACK on first use; make sure it finds an OpenBLAS.
        OpenBlas.ensureLoaded();
    }

    private static final long serialVersionUID = 1L;
    static final Formula FORMULA = Formula.lhs("y");
    private final DataFrameClassifier model;
    private final StructType predictors;

    FrameClassifier(DataFrameClassifier model, StructType predictors) {
        this.model = model;
        this.predictors = predictors;
    }

    /** The training frame: predictors first (as {@link #predictors(DataFrame)} names them), class column last. */
    static DataFrame frame(double[][] x, int[] y) {
        int[][] column = new int[y.length][];
        for (int i = 0; i < y.length; i++) {
            column[i] = new int[]{y[i]};
        }
        return DataFrame.of(x).merge(DataFrame.of(column, "y"));
    }

    static StructType predictors(double[][] x) {
        return DataFrame.of(new double[][]{x[0]}).schema();
    }

    @Override
    public int numClasses() {
        return model.numClasses();
    }

    @Override
    public int[] classes() {
        return model.classes();
    }

    @Override
    public int predict(double[] x) {
        return model.predict(Tuple.of(predictors, x));
    }

    @Override
    public boolean isSoft() {
        return true;
    }

    @Override
    public int predict(double[] x, double[] posteriori) {
        return model.predict(Tuple.of(predictors, x), posteriori);
    }
}
