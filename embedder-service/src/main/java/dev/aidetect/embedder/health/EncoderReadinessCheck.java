package dev.aidetect.embedder.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.aidetect.embedder.inference.EngineHolder;
import dev.aidetect.imaging.encoder.ImageEncoder;

/** Ready once the encoder has loaded and passed its test image; DOWN with the load error otherwise. */
@Readiness
@ApplicationScoped
public class EncoderReadinessCheck implements HealthCheck {
    private final EngineHolder holder;

    public EncoderReadinessCheck(EngineHolder holder) {
        this.holder = holder;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("encoder");
        if (holder.failure().isPresent()) {
            return response.down().withData("error", holder.failure().get()).build();
        }
        ImageEncoder encoder = holder.encoder();
        return response.up()
                .withData("id", encoder.id())
                .withData("version", encoder.version())
                .withData("embeddingSize", encoder.embeddingSize())
                .withData("device", encoder.device().toString())
                .withData("precision", encoder.precision().label())
                .withData("engine", encoder.manifest().engine())
                .build();
    }
}
