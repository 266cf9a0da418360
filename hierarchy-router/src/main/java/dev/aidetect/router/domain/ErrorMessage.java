package dev.aidetect.router.domain;

/** The body of an error answer: which image was asked for and what went wrong. */
public record ErrorMessage(String imageId, String message) {
}
