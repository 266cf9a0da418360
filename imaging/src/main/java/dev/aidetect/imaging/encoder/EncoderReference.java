package dev.aidetect.imaging.encoder;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where an encoder comes from, parsed from the one string the embedder is configured with (see
 * {@code deploy/models/README.md}): a local manifest, model file or directory; an {@code https://} manifest URL; a
 * Hugging Face {@code hf://org/repo[@revision]/path/manifest.json}; or a DJL model-zoo {@code djl://} URL.
 */
public sealed interface EncoderReference {

    String FORMS = "use a local manifest.json, a .pt or .onnx file with manifest.json next to it, a directory holding"
            + " manifest.json, https://host/path/manifest.json, hf://org/repo[@revision]/path/manifest.json or djl://...";

    /** A manifest on this machine; {@code model} is the model file the user named, which the manifest must describe. */
    record Local(Path manifest, Path model) implements EncoderReference {
    }

    /** A manifest (and the model files it names, relative to it) to download once into the model cache. */
    record Remote(URI manifest) implements EncoderReference {
    }

    /** A DJL model-zoo URL, loaded by DJL's own repository and cache. */
    record Zoo(String url) implements EncoderReference {
    }

    Pattern HUGGING_FACE = Pattern.compile("hf://([^/@]+/[^/@]+)(?:@([^/]+))?/(.+)");

    static EncoderReference parse(String reference) throws EncoderLoadException {
        String text = reference == null ? "" : reference.strip();
        String lower = text.toLowerCase(Locale.ROOT);
        if (text.isEmpty()) {
            throw new EncoderLoadException("no encoder is configured: " + FORMS);
        }
        if (lower.startsWith("djl://")) {
            return new Zoo(text);
        }
        if (lower.startsWith("hf://")) {
            Matcher hf = HUGGING_FACE.matcher(text);
            if (!hf.matches()) {
                throw new EncoderLoadException("'" + text + "' is not a Hugging Face reference: write"
                        + " hf://org/repo/path/manifest.json or hf://org/repo@revision/path/manifest.json");
            }
            String revision = hf.group(2) == null ? "main" : hf.group(2);
            return new Remote(uri(text, "https://huggingface.co/" + hf.group(1) + "/resolve/" + revision + "/"
                    + hf.group(3)));
        }
        if (lower.startsWith("https://") || lower.startsWith("http://")) {
            return new Remote(uri(text, text));
        }
        if (text.contains("://") && !lower.startsWith("file:")) {
            throw new EncoderLoadException("unsupported encoder URI '" + text + "': " + FORMS);
        }
        Path path;
        try {
            path = lower.startsWith("file:") ? Path.of(uri(text, text)) : Path.of(text);
        } catch (IllegalArgumentException e) {
            throw new EncoderLoadException("'" + text + "' is neither a supported URI nor a file path: " + FORMS, e);
        }
        String name = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".pt") || name.endsWith(".onnx")) {
            return new Local(path.resolveSibling("manifest.json"), path);
        }
        return new Local(Files.isDirectory(path) ? path.resolve("manifest.json") : path, null);
    }

    private static URI uri(String reference, String text) throws EncoderLoadException {
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            throw new EncoderLoadException("encoder reference '" + reference + "' is not a valid URI ("
                    + e.getMessage() + "): " + FORMS, e);
        }
    }
}
