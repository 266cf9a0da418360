package dev.aidetect.heads;

/** The pipeline stage a vector head decides for. */
public enum HeadStage {
    /** Real or fake. */
    DETECTION,
    /** Which generator family (gan, diffusion) made a fake. */
    FAMILY
}
