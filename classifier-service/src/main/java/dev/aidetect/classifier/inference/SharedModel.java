package dev.aidetect.classifier.inference;

import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;

import dev.aidetect.classifier.domain.LoadedModel;

/**
 * A slot's model with a count of who holds it: the registry while the model serves, and each batch of records being
 * decided with it. A swapped-out model is closed (its native memory freed) by whoever lets go of it last, so a batch
 * that started on it finishes on it and nothing ever runs on a closed model.
 */
final class SharedModel {
    private static final Logger LOG = Logger.getLogger(SharedModel.class);

    private final LoadedModel loaded;
    /** The registry's hold (1 while serving) plus one per batch; 0 means closed, and it never rises again. */
    private final AtomicInteger holders = new AtomicInteger(1);

    SharedModel(LoadedModel loaded) {
        this.loaded = loaded;
    }

    LoadedModel loaded() {
        return loaded;
    }

    /**
     * Takes a hold unless the model is already closed.
     *
     * @return whether the caller now holds it (and must {@link #release()} it)
     */
    boolean retain() {
        while (true) {
            int now = holders.get();
            if (now == 0) {
                return false;
            }
            if (holders.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** Lets go of one hold; the last one closes the model. */
    void release() {
        int left = holders.decrementAndGet();
        if (left == 0) {
            loaded.model().close();
            LOG.infof("Closed %s version %s from %s: no longer served and its last batch has finished", loaded.id(),
                    loaded.version(), loaded.path());
        } else if (left < 0) {
            throw new IllegalStateException("released " + loaded.id() + " version " + loaded.version()
                    + " once more than it was held");
        }
    }

    /** Holds now, the registry's included; 0 once closed. */
    int holders() {
        return holders.get();
    }
}
