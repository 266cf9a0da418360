package dev.aidetect.classifier.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.aidetect.classifier.inference.ModelRegistry;

/**
 * Ready once every configured model has loaded; DOWN while one is loading or when one failed, with each slot's
 * status (model id and version, or what went wrong) in the response.
 */
@Readiness
@ApplicationScoped
public class ModelsReadinessCheck implements HealthCheck {
    private final ModelRegistry models;

    public ModelsReadinessCheck(ModelRegistry models) {
        this.models = models;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("classifier models").up();
        models.statuses().forEach((slot, status) -> {
            response.withData(slot.description(), status.state() + ": " + status.detail());
            if (status.blocksReadiness()) {
                response.down();
            }
        });
        return response.build();
    }
}
