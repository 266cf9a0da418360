package dev.aidetect.fetch;

import java.net.URI;

/**
 * An image uri as rejection messages and logs may show it: user info (credentials before the host) and the query
 * string (a presigned URL's signature, tokens) replaced by {@code ***}, the fragment dropped. Uris reach verdicts,
 * logs and dashboards that more people read than the ones who may fetch the image.
 */
public final class UriRedaction {
    private UriRedaction() {
    }

    public static String redact(URI uri) {
        return redact(uri.toString());
    }

    /** Works on any text, a uri that does not parse included. */
    public static String redact(String uri) {
        String shown = uri;
        int fragment = shown.indexOf('#');
        if (fragment >= 0) {
            shown = shown.substring(0, fragment);
        }
        int query = shown.indexOf('?');
        if (query >= 0) {
            shown = shown.substring(0, query) + "?***";
        }
        int authority = shown.indexOf("//");
        if (authority >= 0) {
            int start = authority + 2;
            int end = start;
            while (end < shown.length() && "/?".indexOf(shown.charAt(end)) < 0) {
                end++;
            }
            int at = shown.lastIndexOf('@', end - 1);
            if (at >= start) {
                shown = shown.substring(0, start) + "***" + shown.substring(at);
            }
        }
        return shown;
    }
}
