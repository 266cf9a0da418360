package dev.aidetect.classifier.domain;

import java.util.List;

import dev.aidetect.heads.VectorHead;
import dev.aidetect.heads.attribution.AttributionNetwork;
import dev.aidetect.heads.attribution.DetectionNetwork;

/** What a model slot serves with: a head on vectors or a network on pixels, told apart by type, not by a cast. */
public sealed interface ServedModel {
    String id();

    String version();

    /** The classes it names, in its output order. */
    List<String> classes();

    /** Frees native memory (a network's); nothing for a head. */
    void close();

    /** A vector head (detection, family). */
    record Head(VectorHead head) implements ServedModel {
        @Override
        public String id() {
            return head.id();
        }

        @Override
        public String version() {
            return head.version();
        }

        @Override
        public List<String> classes() {
            return head.metadata().classes();
        }

        @Override
        public void close() {
        }
    }

    /** A network on pixels (family network, attribution). */
    record Network(AttributionNetwork network) implements ServedModel {
        @Override
        public String id() {
            return network.id();
        }

        @Override
        public String version() {
            return network.version();
        }

        @Override
        public List<String> classes() {
            return network.metadata().classes();
        }

        @Override
        public void close() {
            network.close();
        }
    }

    /** The real/fake network on pixels. */
    record Detector(DetectionNetwork network) implements ServedModel {
        @Override
        public String id() {
            return network.id();
        }

        @Override
        public String version() {
            return network.version();
        }

        @Override
        public List<String> classes() {
            return network.classes();
        }

        @Override
        public void close() {
            network.close();
        }
    }
}
